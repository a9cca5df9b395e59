using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IdentityHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "BannedAt",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Scopes",
                table: "ApiTokens",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Tokens made before scopes could read and write (tokens were for buyers, never admin): they keep that.
            migrationBuilder.Sql(@"UPDATE ""ApiTokens"" SET ""Scopes"" = 3;");

            // A ban was a lockout to the year 9999; it is now said explicitly, apart from failed sign-ins' lockout.
            migrationBuilder.Sql(@"UPDATE ""AspNetUsers"" SET ""BannedAt"" = now() WHERE ""LockoutEnd"" >= TIMESTAMPTZ '9999-01-01 00:00:00+00';");

            // Sign-in now needs a confirmed address; accounts made before confirmation existed keep signing in.
            migrationBuilder.Sql(@"UPDATE ""AspNetUsers"" SET ""EmailConfirmed"" = TRUE WHERE NOT ""EmailConfirmed"";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BannedAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "Scopes",
                table: "ApiTokens");
        }
    }
}
