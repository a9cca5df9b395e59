using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class JobAggregation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AggregatedAt",
                table: "Jobs",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AggregationMethod",
                table: "Jobs",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Auto"); // existing jobs keep the behaviour they were created with

            migrationBuilder.AddColumn<string>(
                name: "AggregationSummary",
                table: "Jobs",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "JobContributorEstimates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    JobId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ContributorId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Method = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Accuracy = table.Column<double>(type: "float", nullable: false),
                    Confusion = table.Column<string>(type: "nvarchar(max)", maxLength: 16000, nullable: true),
                    Labels = table.Column<int>(type: "int", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobContributorEstimates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_JobContributorEstimates_AspNetUsers_ContributorId",
                        column: x => x.ContributorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_JobContributorEstimates_Jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "Jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_JobContributorEstimates_ContributorId",
                table: "JobContributorEstimates",
                column: "ContributorId");

            migrationBuilder.CreateIndex(
                name: "IX_JobContributorEstimates_JobId_ContributorId",
                table: "JobContributorEstimates",
                columns: new[] { "JobId", "ContributorId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JobContributorEstimates");

            migrationBuilder.DropColumn(
                name: "AggregatedAt",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "AggregationMethod",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "AggregationSummary",
                table: "Jobs");
        }
    }
}
