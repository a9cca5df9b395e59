using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClaimPathIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Items_JobId_IsGold_FinalizedAt_LabelsHeld",
                table: "Items");

            migrationBuilder.CreateIndex(
                name: "IX_Items_Gold",
                table: "Items",
                column: "JobId",
                filter: "\"IsGold\"");

            migrationBuilder.CreateIndex(
                name: "IX_Items_OpenSlots",
                table: "Items",
                columns: new[] { "JobId", "LabelsHeld", "Id" },
                descending: new[] { false, true, false },
                filter: "NOT \"IsGold\" AND \"FinalizedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_ItemId_Status",
                table: "Assignments",
                columns: new[] { "ItemId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Items_Gold",
                table: "Items");

            migrationBuilder.DropIndex(
                name: "IX_Items_OpenSlots",
                table: "Items");

            migrationBuilder.DropIndex(
                name: "IX_Assignments_ItemId_Status",
                table: "Assignments");

            migrationBuilder.CreateIndex(
                name: "IX_Items_JobId_IsGold_FinalizedAt_LabelsHeld",
                table: "Items",
                columns: new[] { "JobId", "IsGold", "FinalizedAt", "LabelsHeld" });
        }
    }
}
