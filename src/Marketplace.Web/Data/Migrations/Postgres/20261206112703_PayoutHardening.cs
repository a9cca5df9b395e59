using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PayoutHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastSentAt",
                table: "Payouts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SubmittedAt",
                table: "Payouts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Planning",
                table: "PayoutRuns",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "EscrowPaymentRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    JobId = table.Column<Guid>(type: "uuid", nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PaymentIntentId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RefusalReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    SettledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EscrowPaymentRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PayoutClawbacks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PayoutId = table.Column<Guid>(type: "uuid", nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CreditJobId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ReversalId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    AttemptStartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SettledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutClawbacks", x => x.Id);
                    table.CheckConstraint("CK_PayoutClawbacks_AmountPositive", "\"AmountMinor\" > 0");
                    table.ForeignKey(
                        name: "FK_PayoutClawbacks_Payouts_PayoutId",
                        column: x => x.PayoutId,
                        principalTable: "Payouts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PayoutRuns_Planning",
                table: "PayoutRuns",
                column: "Planning");

            migrationBuilder.CreateIndex(
                name: "IX_EscrowPaymentRequests_JobId",
                table: "EscrowPaymentRequests",
                column: "JobId");

            migrationBuilder.CreateIndex(
                name: "IX_EscrowPaymentRequests_PaymentIntentId",
                table: "EscrowPaymentRequests",
                column: "PaymentIntentId");

            migrationBuilder.CreateIndex(
                name: "IX_PayoutClawbacks_PayoutId_State",
                table: "PayoutClawbacks",
                columns: new[] { "PayoutId", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EscrowPaymentRequests");

            migrationBuilder.DropTable(
                name: "PayoutClawbacks");

            migrationBuilder.DropIndex(
                name: "IX_PayoutRuns_Planning",
                table: "PayoutRuns");

            migrationBuilder.DropColumn(
                name: "LastSentAt",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "SubmittedAt",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "Planning",
                table: "PayoutRuns");
        }
    }
}
