using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <inheritdoc />
    public partial class TeamInsightMeasures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "commits",
                table: "session_insights",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string[]>(
                name: "error_targets",
                table: "session_insights",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.AddColumn<int>(
                name: "files_changed",
                table: "session_insights",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "last_test_passed",
                table: "session_insights",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "test_runs",
                table: "session_insights",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "tests_passed",
                table: "session_insights",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "unresolved_errors",
                table: "session_insights",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "commits",
                table: "session_insights");

            migrationBuilder.DropColumn(
                name: "error_targets",
                table: "session_insights");

            migrationBuilder.DropColumn(
                name: "files_changed",
                table: "session_insights");

            migrationBuilder.DropColumn(
                name: "last_test_passed",
                table: "session_insights");

            migrationBuilder.DropColumn(
                name: "test_runs",
                table: "session_insights");

            migrationBuilder.DropColumn(
                name: "tests_passed",
                table: "session_insights");

            migrationBuilder.DropColumn(
                name: "unresolved_errors",
                table: "session_insights");
        }
    }
}
