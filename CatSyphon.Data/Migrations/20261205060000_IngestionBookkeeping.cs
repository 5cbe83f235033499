using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <summary>
    /// Two tables only the ingestion worker and the migration step use, through SQL (no entity: nothing queries them).
    /// <c>sequence_ranges</c>: sequence ranges of a conversation persisted above a hole (an entry that failed or is not
    /// persisted yet), so <c>persisted_sequence</c> never passes the hole and advances over them once it is filled.
    /// <c>ingest_watermarks</c>: per shard, how many worker transactions committed; Redis keeps a copy set after each
    /// commit, so PostgreSQL holding less than Redis says means PostgreSQL was restored from an older backup.
    /// </summary>
    [DbContext(typeof(CatSyphonDbContext))]
    [Migration("20261205060000_IngestionBookkeeping")]
    public partial class IngestionBookkeeping : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE sequence_ranges (
                    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                    after_sequence bigint NOT NULL,
                    through_sequence bigint NOT NULL,
                    PRIMARY KEY (conversation_id, after_sequence, through_sequence)
                );
                CREATE TABLE ingest_watermarks (
                    shard integer PRIMARY KEY,
                    commits bigint NOT NULL
                );
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE ingest_watermarks; DROP TABLE sequence_ranges;");
        }
    }
}
