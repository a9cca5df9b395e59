using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WorkLoop : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Items_JobId_IsGold_FinalizedAt",
                table: "Items");

            migrationBuilder.AddColumn<double>(
                name: "GoldTolerance",
                table: "Items",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LabelsHeld",
                table: "Items",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "LabelsSubmitted",
                table: "Items",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "QualificationAttempts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ContributorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    TaskType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Questions = table.Column<int>(type: "integer", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Deadline = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Correct = table.Column<int>(type: "integer", nullable: true),
                    Passed = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualificationAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualificationAttempts_AspNetUsers_ContributorId",
                        column: x => x.ContributorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Qualifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ContributorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    TaskType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    PassedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    GoldCorrect = table.Column<int>(type: "integer", nullable: false),
                    GoldWrong = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Qualifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Qualifications_AspNetUsers_ContributorId",
                        column: x => x.ContributorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Assignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    JobId = table.Column<Guid>(type: "uuid", nullable: false),
                    ItemId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContributorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    QualificationAttemptId = table.Column<Guid>(type: "uuid", nullable: true),
                    PayMinor = table.Column<long>(type: "bigint", nullable: false),
                    LeasedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LeaseExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Answer = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: true),
                    DurationMs = table.Column<int>(type: "integer", nullable: true),
                    IsCorrect = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Assignments_AspNetUsers_ContributorId",
                        column: x => x.ContributorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assignments_Items_ItemId",
                        column: x => x.ItemId,
                        principalTable: "Items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Assignments_Jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "Jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assignments_QualificationAttempts_QualificationAttemptId",
                        column: x => x.QualificationAttemptId,
                        principalTable: "QualificationAttempts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Items_JobId_IsGold_FinalizedAt_LabelsHeld",
                table: "Items",
                columns: new[] { "JobId", "IsGold", "FinalizedAt", "LabelsHeld" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_ContributorId_LeasedAt",
                table: "Assignments",
                columns: new[] { "ContributorId", "LeasedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_ItemId_ContributorId",
                table: "Assignments",
                columns: new[] { "ItemId", "ContributorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_JobId_Status_EndedAt",
                table: "Assignments",
                columns: new[] { "JobId", "Status", "EndedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_QualificationAttemptId",
                table: "Assignments",
                column: "QualificationAttemptId");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_Status_LeaseExpiresAt",
                table: "Assignments",
                columns: new[] { "Status", "LeaseExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QualificationAttempts_ContributorId_TaskType_StartedAt",
                table: "QualificationAttempts",
                columns: new[] { "ContributorId", "TaskType", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Qualifications_ContributorId_TaskType",
                table: "Qualifications",
                columns: new[] { "ContributorId", "TaskType" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Assignments");

            migrationBuilder.DropTable(
                name: "Qualifications");

            migrationBuilder.DropTable(
                name: "QualificationAttempts");

            migrationBuilder.DropIndex(
                name: "IX_Items_JobId_IsGold_FinalizedAt_LabelsHeld",
                table: "Items");

            migrationBuilder.DropColumn(
                name: "GoldTolerance",
                table: "Items");

            migrationBuilder.DropColumn(
                name: "LabelsHeld",
                table: "Items");

            migrationBuilder.DropColumn(
                name: "LabelsSubmitted",
                table: "Items");

            migrationBuilder.CreateIndex(
                name: "IX_Items_JobId_IsGold_FinalizedAt",
                table: "Items",
                columns: new[] { "JobId", "IsGold", "FinalizedAt" });
        }
    }
}
