using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <summary>
    /// Full-text search scoped to a workspace: message_search.workspace_id, the key (workspace_id, message_id), a hash index
    /// on message_id for the cascade from messages, and the GIN index (workspace_id, search_vector) through btree_gin.
    /// </summary>
    public partial class WorkspaceScopedSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_message_search",
                table: "message_search");

            migrationBuilder.DropIndex(
                name: "ix_message_search_conversation_id",
                table: "message_search");

            migrationBuilder.DropIndex(
                name: "ix_message_search_search_vector",
                table: "message_search");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gin", ",,");

            // Existing rows take their conversation's workspace before the column becomes required and the key and
            // indexes are built (one pass each, not one index update per row).
            migrationBuilder.AddColumn<Guid>(
                name: "workspace_id",
                table: "message_search",
                type: "uuid",
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE message_search s SET workspace_id = c.workspace_id
                FROM conversations c WHERE c.id = s.conversation_id
                """);

            migrationBuilder.AlterColumn<Guid>(
                name: "workspace_id",
                table: "message_search",
                type: "uuid",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "pk_message_search",
                table: "message_search",
                columns: new[] { "workspace_id", "message_id" });

            migrationBuilder.CreateIndex(
                name: "ix_message_search_message_id",
                table: "message_search",
                column: "message_id")
                .Annotation("Npgsql:IndexMethod", "hash");

            migrationBuilder.CreateIndex(
                name: "ix_message_search_workspace_id_search_vector",
                table: "message_search",
                columns: new[] { "workspace_id", "search_vector" })
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_message_search",
                table: "message_search");

            migrationBuilder.DropIndex(
                name: "ix_message_search_message_id",
                table: "message_search");

            migrationBuilder.DropIndex(
                name: "ix_message_search_workspace_id_search_vector",
                table: "message_search");

            migrationBuilder.DropColumn(
                name: "workspace_id",
                table: "message_search");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:btree_gin", ",,");

            migrationBuilder.AddPrimaryKey(
                name: "pk_message_search",
                table: "message_search",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_message_search_conversation_id",
                table: "message_search",
                column: "conversation_id");

            migrationBuilder.CreateIndex(
                name: "ix_message_search_search_vector",
                table: "message_search",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");
        }
    }
}
