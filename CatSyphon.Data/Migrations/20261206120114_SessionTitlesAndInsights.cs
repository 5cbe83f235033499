using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <inheritdoc />
    public partial class SessionTitlesAndInsights : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "title",
                table: "conversations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "title_source",
                table: "conversations",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "session_insights",
                columns: table => new
                {
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    intent = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    iterations = table.Column<int>(type: "integer", nullable: false),
                    error_count = table.Column<int>(type: "integer", nullable: false),
                    tools_used = table.Column<string[]>(type: "text[]", nullable: false),
                    languages = table.Column<string[]>(type: "text[]", nullable: false),
                    areas = table.Column<string[]>(type: "text[]", nullable: false),
                    evidence = table.Column<string>(type: "jsonb", nullable: false),
                    event_count = table.Column<int>(type: "integer", nullable: false),
                    rules_version = table.Column<int>(type: "integer", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_session_insights", x => x.conversation_id);
                    table.ForeignKey(
                        name: "fk_session_insights_conversations_conversation_id",
                        column: x => x.conversation_id,
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_session_insights_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_session_insights_workspace_id_intent",
                table: "session_insights",
                columns: new[] { "workspace_id", "intent" });

            migrationBuilder.CreateIndex(
                name: "ix_session_insights_workspace_id_outcome",
                table: "session_insights",
                columns: new[] { "workspace_id", "outcome" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "session_insights");

            migrationBuilder.DropColumn(
                name: "title",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "title_source",
                table: "conversations");
        }
    }
}
