namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// The query API's reads (sessions, transcripts, search, analytics): on a PostgreSQL read replica when
/// <c>ConnectionStrings:catsyphon-read</c> is set, so they never compete with ingestion on the primary; on the primary
/// otherwise. Access checks, management and everything that writes keep using <see cref="CatSyphonDbContext"/>.
/// </summary>
public sealed class QueryDbContext(DbContextOptions<QueryDbContext> options) : CatSyphonDbContext(options)
{
    public static void Register(IHostApplicationBuilder builder)
    {
        var connectionName = string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ReadReplicaConnectionName))
            ? ConnectionName
            : ReadReplicaConnectionName;
        builder.AddNpgsqlDbContext<QueryDbContext>(connectionName, configureDbContextOptions: Configure);
    }
}
