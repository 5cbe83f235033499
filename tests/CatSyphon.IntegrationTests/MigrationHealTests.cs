using CatSyphon.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// A workspace broken before the token bounds (4e18 or negative counts in token_usages, issue 10) is healed by the
/// migration that adds the CHECK constraints: the unbelievable rows go, the others stay, and the bound holds after.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class MigrationHealTests(RunningStackFixture stack)
{
    private const string BeforeBounds = "20261127035728_SearchTable";

    [Fact]
    public async Task The_token_bounds_migration_deletes_rows_outside_them_and_keeps_the_rest()
    {
        var server = new NpgsqlConnectionStringBuilder(await stack.App.GetConnectionStringAsync(ResourceNames.Database));
        var scratch = $"heal_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {scratch}", admin).ExecuteNonQueryAsync();
        }

        var options = new DbContextOptionsBuilder<CatSyphonDbContext>().UseNpgsql(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = scratch }.ConnectionString);
        CatSyphonDbContext.Configure(options);
        try
        {
            await using var db = new CatSyphonDbContext(options.Options);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(BeforeBounds);

            var organization = new Organization { Name = "Org", Slug = "org" };
            db.Add(organization);
            await db.SaveChangesAsync();
            // In SQL: the workspace and conversation entities of today have columns this older schema does not.
            var workspaceId = Guid.CreateVersion7();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO workspaces (id, organization_id, name, slug, collector_registration, created_at, updated_at)
                VALUES ({workspaceId}, {organization.Id}, 'Broken', 'broken', 'token', now(), now())
                """);
            var conversationId = Guid.CreateVersion7();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO conversations (id, workspace_id, session_id, status, message_count, tool_call_count, event_count,
                                           last_sequence, persisted_sequence, has_plan, has_errors, created_at, updated_at)
                VALUES ({conversationId}, {workspaceId}, 's1', 'active', 0, 0, 0, 0, 0, false, false, now(), now())
                """);
            foreach (var (key, counts) in new (string, long[])[]
            {
                ("fine", [10, 20, 30, 40]),
                ("largest", [1_000_000_000, 1_000_000_000, 0, 0]),
                ("huge", [4_000_000_000_000_000_000, 0, 0, 0]),
                ("negative", [5, -3, 0, 0]),
                ("huge-cache", [0, 0, 0, 1_000_000_001]),
            })
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO token_usages (workspace_id, usage_key, conversation_id, model, occurred_at, input_tokens, output_tokens,
                                              cache_creation_tokens, cache_read_tokens, from_sub_agent)
                    VALUES ({workspaceId}, {key}, {conversationId}, 'claude-opus-4-6', now(), {counts[0]}, {counts[1]}, {counts[2]}, {counts[3]}, false)
                    """);
            }

            await migrator.MigrateAsync();

            var kept = await db.TokenUsages.OrderBy(u => u.UsageKey).Select(u => u.UsageKey).ToListAsync();
            Assert.Equal(["fine", "largest"], kept);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlAsync($"""
                UPDATE token_usages SET output_tokens = -1 WHERE usage_key = 'fine'
                """));
            Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server.ConnectionString);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }
}
