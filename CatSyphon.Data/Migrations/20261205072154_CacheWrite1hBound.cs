using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <inheritdoc />
    public partial class CacheWrite1hBound : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddCheckConstraint(
                name: "ck_token_usages_cache_creation_1h_tokens",
                table: "token_usages",
                sql: "cache_creation_1h_tokens BETWEEN 0 AND coalesce(cache_creation_tokens, 0)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_token_usages_cache_creation_1h_tokens",
                table: "token_usages");
        }
    }
}
