using CatSyphon.Contracts;
using CatSyphon.Protocol;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CatSyphon.Data;

/// <summary>
/// CatSyphon's PostgreSQL model. Register it with <see cref="Configure"/> applied after the
/// provider, so every host and the design-time tools build the same model:
/// <code>
/// builder.AddNpgsqlDbContext&lt;CatSyphonDbContext&gt;(CatSyphonDbContext.ConnectionName,
///     configureDbContextOptions: CatSyphonDbContext.Configure);
/// </code>
/// The schema is owned by migrations (applied by CatSyphon.MigrationService); never call EnsureCreated.
/// </summary>
public class CatSyphonDbContext : DbContext
{
    /// <summary>The Aspire connection name of the database.</summary>
    public const string ConnectionName = "catsyphon";

    /// <summary>The connection name of an optional read replica (<c>ConnectionStrings:catsyphon-read</c>).</summary>
    public const string ReadReplicaConnectionName = "catsyphon-read";

    public CatSyphonDbContext(DbContextOptions<CatSyphonDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a context of the same model on another connection (the API's read replica).</summary>
    protected CatSyphonDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<EnrollmentToken> EnrollmentTokens => Set<EnrollmentToken>();

    public DbSet<Collector> Collectors => Set<Collector>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<Developer> Developers => Set<Developer>();

    public DbSet<Conversation> Conversations => Set<Conversation>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<MessageSearch> MessageSearch => Set<MessageSearch>();

    public DbSet<ToolCall> ToolCalls => Set<ToolCall>();

    public DbSet<FileTouched> FilesTouched => Set<FileTouched>();

    public DbSet<Plan> Plans => Set<Plan>();

    public DbSet<PlanVersion> PlanVersions => Set<PlanVersion>();

    public DbSet<TokenUsage> TokenUsages => Set<TokenUsage>();

    public DbSet<IngestionJob> IngestionJobs => Set<IngestionJob>();

    public DbSet<AgentTelemetryEvent> AgentTelemetryEvents => Set<AgentTelemetryEvent>();

    public DbSet<AgentTelemetryPoint> AgentTelemetryPoints => Set<AgentTelemetryPoint>();

    public DbSet<AuditLogEntry> AuditLog => Set<AuditLogEntry>();

    public DbSet<User> Users => Set<User>();

    public DbSet<WorkspaceMember> WorkspaceMembers => Set<WorkspaceMember>();

    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<RedactionRule> RedactionRules => Set<RedactionRule>();

    public DbSet<DataJob> DataJobs => Set<DataJob>();

    public DbSet<ErasedSession> ErasedSessions => Set<ErasedSession>();

    public DbSet<SessionInsight> SessionInsights => Set<SessionInsight>();

    public DbSet<SessionLlmInsight> SessionLlmInsights => Set<SessionLlmInsight>();

    public DbSet<LlmUsage> LlmUsages => Set<LlmUsage>();

    /// <summary>
    /// The options every CatSyphon host applies, after the Npgsql provider has been chosen with its
    /// connection string (Aspire's <c>AddNpgsqlDbContext</c> does that before invoking
    /// <c>configureDbContextOptions</c>): snake_case names for tables, columns, keys and indexes.
    /// Safe to call more than once.
    /// </summary>
    public static void Configure(DbContextOptionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Keeps the connection string, data source and retry settings already given, if any.
        builder.UseNpgsql(npgsql => npgsql.MigrationsAssembly(typeof(CatSyphonDbContext).Assembly.GetName().Name));
        builder.UseSnakeCaseNamingConvention();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Npgsql only writes DateTimeOffset with offset 0 to timestamptz (and throws otherwise); normalise
        // on the way in, for entity values and query parameters alike. The instant never changes.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();

        configurationBuilder.Conventions.Add(_ => new ApplicationAssignedGuidKeysConvention());
        configurationBuilder.Conventions.Add(_ => new OptionalReferencesSetNullConvention());

        // Enums are text columns holding their wire names ("token", "session_start"...).
        AddWireNameEnum<CollectorRegistration>(configurationBuilder);
        AddWireNameEnum<ConversationStatus>(configurationBuilder);
        AddWireNameEnum<EventType>(configurationBuilder);
        AddWireNameEnum<AuthorRole>(configurationBuilder);
        AddWireNameEnum<MessageType>(configurationBuilder);
        AddWireNameEnum<IngestionSource>(configurationBuilder);
        AddWireNameEnum<IngestionOutcome>(configurationBuilder);
        AddWireNameEnum<OrganizationRole>(configurationBuilder);
        AddWireNameEnum<WorkspaceRole>(configurationBuilder);
        AddWireNameEnum<TranscriptVisibility>(configurationBuilder);
        AddWireNameEnum<RedactionRuleKind>(configurationBuilder);
        AddWireNameEnum<DataJobKind>(configurationBuilder);
        AddWireNameEnum<DataJobStatus>(configurationBuilder);
        AddWireNameEnum<TitleSource>(configurationBuilder);
        AddWireNameEnum<SessionIntent>(configurationBuilder);
        AddWireNameEnum<SessionOutcome>(configurationBuilder);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // GIN operator classes for plain types (uuid here): the search index leads with the workspace (MessageSearch).
        modelBuilder.HasPostgresExtension("btree_gin");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatSyphonDbContext).Assembly);
    }

    private static void AddWireNameEnum<TEnum>(ModelConfigurationBuilder configurationBuilder) where TEnum : struct, Enum
    {
        configurationBuilder.Properties<TEnum>()
            .HaveConversion<WireNameConverter<TEnum>>()
            .HaveMaxLength(ColumnLimits.EnumName);
    }
}

/// <summary>Stores an enum as its <see cref="WireName"/>.</summary>
public sealed class WireNameConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => WireName.Of(value),
    text => WireName.Parse<TEnum>(text))
    where TEnum : struct, Enum;

/// <summary>Writes every <see cref="DateTimeOffset"/> in UTC (offset 0), as PostgreSQL's timestamptz requires.</summary>
public sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => value.ToUniversalTime(),
    value => value);
