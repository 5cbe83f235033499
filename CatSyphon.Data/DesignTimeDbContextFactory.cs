using Microsoft.EntityFrameworkCore.Design;

namespace CatSyphon.Data;

/// <summary>
/// Lets <c>dotnet ef</c> build the context without a host or a database. The connection string is
/// only used by commands that talk to a database (<c>database update</c>, which also takes
/// <c>--connection</c>); <c>migrations add</c> never opens it.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CatSyphonDbContext>
{
    private const string PlaceholderConnectionString = "Host=localhost;Database=catsyphon;Username=postgres";

    public CatSyphonDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable($"ConnectionStrings__{CatSyphonDbContext.ConnectionName}");
        var builder = new DbContextOptionsBuilder<CatSyphonDbContext>()
            .UseNpgsql(string.IsNullOrWhiteSpace(connectionString) ? PlaceholderConnectionString : connectionString);
        CatSyphonDbContext.Configure(builder);
        return new CatSyphonDbContext(builder.Options);
    }
}
