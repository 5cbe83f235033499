using System.Text.RegularExpressions;
using CatSyphon.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CatSyphon.Data.Tests;

public partial class ModelTests
{
    private static readonly IModel Model = CreateModel();

    private static IModel CreateModel()
    {
        using var db = TestDb.Create();
        return db.GetService<IDesignTimeModel>().Model;
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    private static IEntityType Entity<T>() =>
        Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");

    private static IIndex? FindIndex<T>(params string[] columns)
    {
        var entity = Entity<T>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return entity.GetIndexes().SingleOrDefault(i => i.Properties.Select(p => p.GetColumnName(table)).SequenceEqual(columns));
    }

    [Theory]
    [InlineData(typeof(Conversation), new[] { "workspace_id", "session_id" })]
    [InlineData(typeof(Message), new[] { "conversation_id", "event_hash" })]
    [InlineData(typeof(Collector), new[] { "api_key_hash" })]
    [InlineData(typeof(EnrollmentToken), new[] { "token_hash" })]
    [InlineData(typeof(Workspace), new[] { "slug" })]
    [InlineData(typeof(Organization), new[] { "slug" })]
    [InlineData(typeof(Project), new[] { "workspace_id", "directory" })]
    [InlineData(typeof(Developer), new[] { "workspace_id", "username" })]
    [InlineData(typeof(ToolCall), new[] { "conversation_id", "tool_use_id" })]
    [InlineData(typeof(PlanVersion), new[] { "plan_id", "version" })]
    public void Key_unique_indexes_exist(Type entityType, string[] columns)
    {
        var entity = Model.FindEntityType(entityType)!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());

        var index = entity.GetIndexes().SingleOrDefault(i => i.Properties.Select(p => p.GetColumnName(table)).SequenceEqual(columns));

        Assert.NotNull(index);
        Assert.True(index.IsUnique, $"{entity.GetTableName()} ({string.Join(", ", columns)}) must be unique.");
        Assert.Null(index.GetFilter());
    }

    [Fact]
    public void Ordering_and_listing_indexes_exist_and_are_not_unique()
    {
        Assert.False(FindIndex<Message>("conversation_id", "sequence")?.IsUnique ?? true);
        Assert.NotNull(FindIndex<Conversation>("workspace_id", "started_at"));
        Assert.NotNull(FindIndex<TokenUsage>("workspace_id", "occurred_at"));
        Assert.NotNull(FindIndex<TokenUsage>("conversation_id"));
        Assert.NotNull(FindIndex<FileTouched>("path"));
        Assert.NotNull(FindIndex<AuditLogEntry>("occurred_at"));

        var jobs = FindIndex<IngestionJob>("workspace_id", "started_at");
        Assert.NotNull(jobs);
        Assert.Equal([false, true], jobs.IsDescending);
    }

    [Fact]
    public void Every_table_column_key_and_index_name_is_snake_case()
    {
        var entities = Model.GetEntityTypes().ToList();
        Assert.Equal(28, entities.Count);

        foreach (var entity in entities)
        {
            var tableName = entity.GetTableName()!;
            Assert.Matches(SnakeCase(), tableName);
            var table = StoreObjectIdentifier.Table(tableName, entity.GetSchema());

            foreach (var property in entity.GetProperties())
            {
                Assert.Matches(SnakeCase(), property.GetColumnName(table)!);
            }

            foreach (var key in entity.GetKeys())
            {
                Assert.Matches(SnakeCase(), key.GetName()!);
            }

            foreach (var index in entity.GetIndexes())
            {
                Assert.Matches(SnakeCase(), index.GetDatabaseName()!);
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                Assert.Matches(SnakeCase(), foreignKey.GetConstraintName()!);
            }
        }
    }

    [Fact]
    public void Known_names_map_as_expected()
    {
        Assert.Equal("conversations", Entity<Conversation>().GetTableName());
        Assert.Equal("files_touched", Entity<FileTouched>().GetTableName());
        Assert.Equal("audit_log", Entity<AuditLogEntry>().GetTableName());
        Assert.Equal("token_usages", Entity<TokenUsage>().GetTableName());
        var tokenUsages = StoreObjectIdentifier.Table("token_usages", null);
        Assert.Equal("cache_creation_tokens", Entity<TokenUsage>().FindProperty(nameof(TokenUsage.CacheCreationTokens))!.GetColumnName(tokenUsages));
        Assert.Equal("pk_conversations", Entity<Conversation>().FindPrimaryKey()!.GetName());
    }

    [Theory]
    [InlineData(typeof(Collector), nameof(Collector.Metadata))]
    [InlineData(typeof(Conversation), nameof(Conversation.Metadata))]
    [InlineData(typeof(Message), nameof(Message.RawData))]
    [InlineData(typeof(ToolCall), nameof(ToolCall.Parameters))]
    [InlineData(typeof(AuditLogEntry), nameof(AuditLogEntry.Details))]
    public void Json_columns_are_jsonb(Type entityType, string property)
    {
        Assert.Equal("jsonb", Model.FindEntityType(entityType)!.FindProperty(property)!.GetColumnType());
    }

    [Fact]
    public void Times_are_timestamptz_and_written_in_utc()
    {
        var startedAt = Entity<Conversation>().FindProperty(nameof(Conversation.StartedAt))!;
        Assert.Equal("timestamp with time zone", startedAt.GetColumnType());

        var local = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        var converter = startedAt.GetTypeMapping().Converter;
        Assert.NotNull(converter);
        var stored = Assert.IsType<DateTimeOffset>(converter.ConvertToProvider(local));
        Assert.Equal(TimeSpan.Zero, stored.Offset);
        Assert.Equal(local.UtcTicks, stored.UtcTicks);
    }

    [Fact]
    public void Enums_are_stored_as_their_wire_names()
    {
        var registration = Entity<Workspace>().FindProperty(nameof(Workspace.CollectorRegistration))!;
        Assert.Equal("character varying(32)", registration.GetColumnType());
        Assert.Equal("open", registration.GetTypeMapping().Converter!.ConvertToProvider(CollectorRegistration.Open));

        var eventType = Entity<Message>().FindProperty(nameof(Message.EventType))!;
        Assert.Equal("session_start", eventType.GetTypeMapping().Converter!.ConvertToProvider(EventType.SessionStart));
        Assert.Equal(EventType.ToolResult, eventType.GetTypeMapping().Converter!.ConvertFromProvider("tool_result"));

        // Nullable enums too.
        var role = Entity<Message>().FindProperty(nameof(Message.Role))!;
        Assert.True(role.IsNullable);
        Assert.Equal("character varying(32)", role.GetColumnType());
        Assert.Equal("human", role.GetTypeMapping().Converter!.ConvertToProvider(AuthorRole.Human));
    }

    [Fact]
    public void High_volume_tables_use_identity_keys_and_the_rest_client_side_guids()
    {
        foreach (var type in new[] { typeof(Message), typeof(ToolCall), typeof(FileTouched) })
        {
            var id = Model.FindEntityType(type)!.FindPrimaryKey()!.Properties.Single();
            Assert.Equal(typeof(long), id.ClrType);
            Assert.Equal(ValueGenerated.OnAdd, id.ValueGenerated);
        }

        var conversationId = Entity<Conversation>().FindPrimaryKey()!.Properties.Single();
        Assert.Equal(typeof(Guid), conversationId.ClrType);
        Assert.Equal(ValueGenerated.Never, conversationId.ValueGenerated);
        Assert.Equal(7, new Conversation { SessionId = "s" }.Id.Version);
    }

    [Fact]
    public void Bounded_columns_follow_the_contract()
    {
        Assert.Equal(255, Entity<Conversation>().FindProperty(nameof(Conversation.SessionId))!.GetMaxLength());
        Assert.Equal(64, Entity<Message>().FindProperty(nameof(Message.EventHash))!.GetMaxLength());
        Assert.Null(Entity<Message>().FindProperty(nameof(Message.Content))!.GetMaxLength());
    }

    [Fact]
    public void Deleting_a_workspace_keeps_the_audit_log()
    {
        var fk = Entity<AuditLogEntry>().GetForeignKeys().Single(f => f.PrincipalEntityType.ClrType == typeof(Workspace));
        Assert.Equal(DeleteBehavior.SetNull, fk.DeleteBehavior);

        var organization = Entity<Workspace>().GetForeignKeys().Single(f => f.PrincipalEntityType.ClrType == typeof(Organization));
        Assert.Equal(DeleteBehavior.Restrict, organization.DeleteBehavior);
    }

    [Fact]
    public void Time_queries_translate_with_the_utc_converter()
    {
        using var db = TestDb.Create();
        var since = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5));

        var sql = db.Conversations
            .Where(c => c.StartedAt >= since)
            .GroupBy(c => c.StartedAt!.Value.Year)
            .Select(g => new { Year = g.Key, Messages = g.Sum(c => c.MessageCount) })
            .ToQueryString();

        Assert.Contains("started_at", sql);
        Assert.Contains("GROUP BY", sql);
    }

    [Fact]
    public void Token_usages_are_keyed_by_workspace_and_usage_key()
    {
        var key = Entity<TokenUsage>().FindPrimaryKey()!;
        var table = StoreObjectIdentifier.Table("token_usages", null);

        Assert.Equal(["workspace_id", "usage_key"], key.Properties.Select(p => p.GetColumnName(table)));
        Assert.Equal(ColumnLimits.UsageKey, Entity<TokenUsage>().FindProperty(nameof(TokenUsage.UsageKey))!.GetMaxLength());
        Assert.All(Entity<TokenUsage>().GetForeignKeys(), fk => Assert.Equal(DeleteBehavior.Cascade, fk.DeleteBehavior));
    }

    [Fact]
    public void Conversation_pages_come_from_indexes_in_last_activity_order()
    {
        foreach (var leading in new[] { "workspace_id", "project_id", "developer_id" })
        {
            var index = FindIndex<Conversation>(leading, "last_event_at", "id");
            Assert.NotNull(index);
            Assert.Equal([false, true, true], index.IsDescending);
            Assert.Equal([NullSortOrder.Unspecified, NullSortOrder.NullsLast, NullSortOrder.Unspecified], index.GetNullSortOrder());
        }

        Assert.Equal("parent_conversation_id IS NOT NULL", FindIndex<Conversation>("parent_conversation_id")?.GetFilter());
    }

    [Fact]
    public void Message_search_vectors_live_in_a_narrow_table_whose_indexes_lead_with_the_workspace()
    {
        var search = Entity<MessageSearch>();
        Assert.Equal("message_search", search.GetTableName());
        Assert.Equal("tsvector", search.FindProperty(nameof(MessageSearch.SearchVector))!.GetColumnType());
        Assert.Equal("gin", FindIndex<MessageSearch>("workspace_id", "search_vector")?.GetMethod());
        Assert.Equal([nameof(MessageSearch.WorkspaceId), nameof(MessageSearch.MessageId)], search.FindPrimaryKey()!.Properties.Select(p => p.Name));
        // No btree leads with message_id: the planner could walk it across every workspace (see MessageSearchConfiguration).
        Assert.Equal("hash", FindIndex<MessageSearch>("message_id")?.GetMethod());
        Assert.Contains(Model.GetPostgresExtensions(), extension => extension.Name == "btree_gin");
        Assert.Equal(DeleteBehavior.Cascade, Assert.Single(search.GetForeignKeys()).DeleteBehavior);
        Assert.Null(Entity<Message>().FindProperty("SearchVector"));
        Assert.Contains("to_tsvector('english'::regconfig", MessageSearch.VectorSql);
    }
}
