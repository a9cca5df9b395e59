using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RunningBalances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "BalanceMinor",
                table: "LedgerAccounts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Existing accounts start from the sum of their entries. Only guarded accounts have rows, and every one
            // of them is credit-normal, so the balance is credits minus debits.
            migrationBuilder.Sql(@"UPDATE ""LedgerAccounts"" SET ""BalanceMinor"" = COALESCE((SELECT SUM(CASE WHEN e.""Direction"" = 'Credit' THEN e.""AmountMinor"" ELSE -e.""AmountMinor"" END) FROM ""LedgerEntries"" e WHERE e.""AccountKind"" = ""LedgerAccounts"".""Kind"" AND e.""AccountOwner"" = ""LedgerAccounts"".""Owner"" AND e.""Currency"" = ""LedgerAccounts"".""Currency""), 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BalanceMinor",
                table: "LedgerAccounts");
        }
    }
}
