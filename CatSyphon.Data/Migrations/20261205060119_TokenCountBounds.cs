using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <inheritdoc />
    public partial class TokenCountBounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Heal workspaces broken before the API bounded token counts (issue 10): a row with a count outside
            // 0..1e9 (4e18 input tokens, negative counts) is no API response's usage, so no part of it is believable.
            // It is deleted rather than clamped, since a clamped row would still add a billion invented tokens and
            // their cost to every total. The raw event stays in messages; only its counted usage goes. Then the
            // constraints hold, and the sums that overflowed int64 (and answered 500) answer again.
            migrationBuilder.Sql("""
                DELETE FROM token_usages
                WHERE input_tokens NOT BETWEEN 0 AND 1000000000
                   OR output_tokens NOT BETWEEN 0 AND 1000000000
                   OR cache_creation_tokens NOT BETWEEN 0 AND 1000000000
                   OR cache_read_tokens NOT BETWEEN 0 AND 1000000000
                """);

            migrationBuilder.AddCheckConstraint(
                name: "ck_token_usages_cache_creation_tokens",
                table: "token_usages",
                sql: "cache_creation_tokens BETWEEN 0 AND 1000000000");

            migrationBuilder.AddCheckConstraint(
                name: "ck_token_usages_cache_read_tokens",
                table: "token_usages",
                sql: "cache_read_tokens BETWEEN 0 AND 1000000000");

            migrationBuilder.AddCheckConstraint(
                name: "ck_token_usages_input_tokens",
                table: "token_usages",
                sql: "input_tokens BETWEEN 0 AND 1000000000");

            migrationBuilder.AddCheckConstraint(
                name: "ck_token_usages_output_tokens",
                table: "token_usages",
                sql: "output_tokens BETWEEN 0 AND 1000000000");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_token_usages_cache_creation_tokens",
                table: "token_usages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_token_usages_cache_read_tokens",
                table: "token_usages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_token_usages_input_tokens",
                table: "token_usages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_token_usages_output_tokens",
                table: "token_usages");
        }
    }
}
