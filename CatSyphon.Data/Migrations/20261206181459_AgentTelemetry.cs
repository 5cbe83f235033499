using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <inheritdoc />
    public partial class AgentTelemetry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "from_telemetry",
                table: "conversations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "agent_telemetry_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    success = table.Column<bool>(type: "boolean", nullable: true),
                    is_api_error = table.Column<bool>(type: "boolean", nullable: false),
                    duration_ms = table.Column<double>(type: "double precision", nullable: true),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    cost_usd = table.Column<double>(type: "double precision", nullable: true),
                    input_tokens = table.Column<long>(type: "bigint", nullable: true),
                    output_tokens = table.Column<long>(type: "bigint", nullable: true),
                    cache_read_tokens = table.Column<long>(type: "bigint", nullable: true),
                    cache_creation_tokens = table.Column<long>(type: "bigint", nullable: true),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    collector_id = table.Column<Guid>(type: "uuid", nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    agent_type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    session_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    user_email = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    account_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    model = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    tool_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    decision = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    decision_source = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    attributes = table.Column<string>(type: "jsonb", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_telemetry_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_agent_telemetry_events_collectors_collector_id",
                        column: x => x.collector_id,
                        principalTable: "collectors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_agent_telemetry_events_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agent_telemetry_points",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    metric = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    unit = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    temporality = table.Column<short>(type: "smallint", nullable: false),
                    start_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: true),
                    series_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    collector_id = table.Column<Guid>(type: "uuid", nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    agent_type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    session_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    user_email = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    account_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    model = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    tool_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    decision = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    decision_source = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    attributes = table.Column<string>(type: "jsonb", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_telemetry_points", x => x.id);
                    table.ForeignKey(
                        name: "fk_agent_telemetry_points_collectors_collector_id",
                        column: x => x.collector_id,
                        principalTable: "collectors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_agent_telemetry_points_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agent_telemetry_events_batch_id_ordinal",
                table: "agent_telemetry_events",
                columns: new[] { "batch_id", "ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agent_telemetry_events_collector_id",
                table: "agent_telemetry_events",
                column: "collector_id");

            migrationBuilder.CreateIndex(
                name: "ix_agent_telemetry_events_workspace_id_occurred_at",
                table: "agent_telemetry_events",
                columns: new[] { "workspace_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_agent_telemetry_events_workspace_id_session_id",
                table: "agent_telemetry_events",
                columns: new[] { "workspace_id", "session_id" });

            migrationBuilder.CreateIndex(
                name: "ix_agent_telemetry_points_batch_id_ordinal",
                table: "agent_telemetry_points",
                columns: new[] { "batch_id", "ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agent_telemetry_points_collector_id",
                table: "agent_telemetry_points",
                column: "collector_id");

            migrationBuilder.CreateIndex(
                name: "ix_agent_telemetry_points_workspace_id_session_id",
                table: "agent_telemetry_points",
                columns: new[] { "workspace_id", "session_id" });

            migrationBuilder.CreateIndex(
                name: "ix_agent_telemetry_points_workspace_id_time",
                table: "agent_telemetry_points",
                columns: new[] { "workspace_id", "time" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_telemetry_events");

            migrationBuilder.DropTable(
                name: "agent_telemetry_points");

            migrationBuilder.DropColumn(
                name: "from_telemetry",
                table: "conversations");
        }
    }
}
