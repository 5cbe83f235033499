using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <inheritdoc />
    public partial class QueryModel : Migration
    {
        // The worker's rule over the events already stored: usage key as sent (a digest past 512 characters), else
        // one per event; model from usage_model, else the event's, "<synthetic>" as none; then per key the
        // main-session copy before a sub-agent copy, the larger total, the earlier copy.
        private const string BackfillTokenUsagesSql = """
            INSERT INTO token_usages (workspace_id, usage_key, conversation_id, model, occurred_at, input_tokens, output_tokens,
                                      cache_creation_tokens, cache_read_tokens, from_sub_agent)
            SELECT DISTINCT ON (c.workspace_id, k.usage_key)
                   c.workspace_id, k.usage_key, m.conversation_id,
                   NULLIF(COALESCE(left(NULLIF(m.raw_data->>'usage_model', ''), 255), m.model), '<synthetic>'), m.emitted_at,
                   COALESCE(m.input_tokens, 0), COALESCE(m.output_tokens, 0), COALESCE(m.cache_creation_tokens, 0),
                   COALESCE(m.cache_read_tokens, 0), k.from_sub_agent
            FROM messages m
            JOIN conversations c ON c.id = m.conversation_id
            CROSS JOIN LATERAL (
                SELECT CASE WHEN COALESCE(m.raw_data->>'usage_key', '') = '' THEN 'event:' || m.conversation_id || ':' || m.event_hash
                            WHEN length(m.raw_data->>'usage_key') > 512 THEN 'sha256-' || encode(sha256(convert_to(m.raw_data->>'usage_key', 'UTF8')), 'hex')
                            ELSE m.raw_data->>'usage_key' END,
                       COALESCE(lower(trim(m.raw_data->>'usage_from_sub_agent')) = 'true', false)
            ) k(usage_key, from_sub_agent)
            WHERE m.input_tokens IS NOT NULL OR m.output_tokens IS NOT NULL OR m.cache_creation_tokens IS NOT NULL
               OR m.cache_read_tokens IS NOT NULL
            ORDER BY c.workspace_id, k.usage_key, k.from_sub_agent,
                     COALESCE(m.input_tokens, 0) + COALESCE(m.output_tokens, 0) + COALESCE(m.cache_creation_tokens, 0)
                         + COALESCE(m.cache_read_tokens, 0) DESC,
                     m.emitted_at, m.conversation_id, m.sequence;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_conversation_id_api_message_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_model_emitted_at",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_conversations_developer_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_parent_conversation_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_project_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_workspace_id_developer_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_workspace_id_last_event_at",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_workspace_id_project_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_workspace_id_status",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "cache_creation_tokens",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "cache_read_tokens",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "input_tokens",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "output_tokens",
                table: "conversations");

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                table: "messages",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('english'::regconfig, left(coalesce(content, ''), 100000) || ' ' || left(coalesce(thinking, ''), 100000))",
                stored: true);

            migrationBuilder.CreateTable(
                name: "token_usages",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    usage_key = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    model = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cache_creation_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cache_read_tokens = table.Column<long>(type: "bigint", nullable: false),
                    from_sub_agent = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_token_usages", x => new { x.workspace_id, x.usage_key });
                    table.ForeignKey(
                        name: "fk_token_usages_conversations_conversation_id",
                        column: x => x.conversation_id,
                        principalTable: "conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_token_usages_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Usage already stored counts from now on as the worker would have counted it (EventProjection, BatchPersister).
            migrationBuilder.Sql(BackfillTokenUsagesSql);

            migrationBuilder.CreateIndex(
                name: "ix_messages_search_vector",
                table: "messages",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_developer_id_last_event_at_id",
                table: "conversations",
                columns: new[] { "developer_id", "last_event_at", "id" },
                descending: new[] { false, true, true })
                .Annotation("Npgsql:IndexNullSortOrder", new[] { NullSortOrder.Unspecified, NullSortOrder.NullsLast, NullSortOrder.Unspecified });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_parent_conversation_id",
                table: "conversations",
                column: "parent_conversation_id",
                filter: "parent_conversation_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_project_id_last_event_at_id",
                table: "conversations",
                columns: new[] { "project_id", "last_event_at", "id" },
                descending: new[] { false, true, true })
                .Annotation("Npgsql:IndexNullSortOrder", new[] { NullSortOrder.Unspecified, NullSortOrder.NullsLast, NullSortOrder.Unspecified });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_workspace_id_last_event_at_id",
                table: "conversations",
                columns: new[] { "workspace_id", "last_event_at", "id" },
                descending: new[] { false, true, true })
                .Annotation("Npgsql:IndexNullSortOrder", new[] { NullSortOrder.Unspecified, NullSortOrder.NullsLast, NullSortOrder.Unspecified });

            migrationBuilder.CreateIndex(
                name: "ix_token_usages_conversation_id",
                table: "token_usages",
                column: "conversation_id");

            migrationBuilder.CreateIndex(
                name: "ix_token_usages_workspace_id_occurred_at",
                table: "token_usages",
                columns: new[] { "workspace_id", "occurred_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_search_vector",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_conversations_developer_id_last_event_at_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_parent_conversation_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_project_id_last_event_at_id",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_workspace_id_last_event_at_id",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "search_vector",
                table: "messages");

            migrationBuilder.AddColumn<long>(
                name: "cache_creation_tokens",
                table: "conversations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "cache_read_tokens",
                table: "conversations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "input_tokens",
                table: "conversations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "output_tokens",
                table: "conversations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.Sql("""
                UPDATE conversations c SET input_tokens = u.input, output_tokens = u.output,
                                           cache_creation_tokens = u.cache_creation, cache_read_tokens = u.cache_read
                FROM (SELECT conversation_id, sum(input_tokens) AS input, sum(output_tokens) AS output,
                             sum(cache_creation_tokens) AS cache_creation, sum(cache_read_tokens) AS cache_read
                      FROM token_usages GROUP BY conversation_id) u
                WHERE c.id = u.conversation_id;
                """);

            migrationBuilder.DropTable(
                name: "token_usages");

            migrationBuilder.CreateIndex(
                name: "ix_messages_conversation_id_api_message_id",
                table: "messages",
                columns: new[] { "conversation_id", "api_message_id" },
                filter: "api_message_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_messages_model_emitted_at",
                table: "messages",
                columns: new[] { "model", "emitted_at" },
                filter: "model IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_developer_id",
                table: "conversations",
                column: "developer_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_parent_conversation_id",
                table: "conversations",
                column: "parent_conversation_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_project_id",
                table: "conversations",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_workspace_id_developer_id",
                table: "conversations",
                columns: new[] { "workspace_id", "developer_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_workspace_id_last_event_at",
                table: "conversations",
                columns: new[] { "workspace_id", "last_event_at" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_workspace_id_project_id",
                table: "conversations",
                columns: new[] { "workspace_id", "project_id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_workspace_id_status",
                table: "conversations",
                columns: new[] { "workspace_id", "status" });
        }
    }
}
