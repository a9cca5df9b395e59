using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Web.Data.Migrations.SqlServer
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
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Scopes",
                table: "ApiTokens",
                type: "int",
                nullable: false,
                defaultValue: 0);

            // Tokens made before scopes could read and write (tokens were for buyers, never admin): they keep that.
            migrationBuilder.Sql(@"UPDATE [ApiTokens] SET [Scopes] = 3;");

            // A ban was a lockout to the year 9999; it is now said explicitly, apart from failed sign-ins' lockout.
            migrationBuilder.Sql(@"UPDATE [AspNetUsers] SET [BannedAt] = SYSUTCDATETIME() WHERE [LockoutEnd] >= '9999-01-01T00:00:00+00:00';");

            // Sign-in now needs a confirmed address; accounts made before confirmation existed keep signing in.
            migrationBuilder.Sql(@"UPDATE [AspNetUsers] SET [EmailConfirmed] = 1 WHERE [EmailConfirmed] = 0;");
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
