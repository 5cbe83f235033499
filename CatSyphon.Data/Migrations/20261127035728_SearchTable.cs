using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchTable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "message_search",
                columns: table => new
                {
                    message_id = table.Column<long>(type: "bigint", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_search", x => x.message_id);
                    table.ForeignKey(
                        name: "fk_message_search_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The vectors already computed move over (only messages with text have one worth keeping), before the
            // indexes are built, then the column goes.
            migrationBuilder.Sql("""
                INSERT INTO message_search (message_id, conversation_id, search_vector)
                SELECT id, conversation_id, search_vector FROM messages WHERE search_vector <> ''::tsvector
                """);

            migrationBuilder.CreateIndex(
                name: "ix_message_search_conversation_id",
                table: "message_search",
                column: "conversation_id");

            migrationBuilder.CreateIndex(
                name: "ix_message_search_search_vector",
                table: "message_search",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.DropIndex(
                name: "ix_messages_search_vector",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "search_vector",
                table: "messages");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "message_search");

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                table: "messages",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('english'::regconfig, left(coalesce(content, ''), 100000) || ' ' || left(coalesce(thinking, ''), 100000))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_search_vector",
                table: "messages",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");
        }
    }
}
