using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CatSyphon.Data.Tests;

public class MigrationTests
{
    [Fact]
    public void Model_has_no_changes_missing_from_the_migrations()
    {
        using var db = TestDb.Create();

        // Fails whenever an entity or configuration changes without `dotnet ef migrations add`.
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model differs from the last migration's snapshot: run `dotnet ef migrations add <Name> --project CatSyphon.Data --output-dir Migrations`.");
    }

    [Fact]
    public void Initial_schema_migration_is_in_the_data_assembly()
    {
        using var db = TestDb.Create();

        var migrations = db.Database.GetMigrations().ToList();

        Assert.NotEmpty(migrations);
        Assert.EndsWith("_InitialSchema", migrations[0]);
        var migrationsAssembly = db.GetService<IMigrationsAssembly>();
        Assert.Equal(typeof(CatSyphonDbContext).Assembly, migrationsAssembly.Assembly);
        Assert.NotNull(migrationsAssembly.ModelSnapshot);
    }

    [Fact]
    public void Configure_keeps_the_connection_string_given_before_it()
    {
        using var db = TestDb.Create();

        Assert.Equal(TestDb.ConnectionString, db.Database.GetConnectionString());
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
    }

    [Fact]
    public void Design_time_factory_builds_the_same_model()
    {
        using var designTime = new DesignTimeDbContextFactory().CreateDbContext([]);
        using var runtime = TestDb.Create();

        var differ = runtime.GetService<IMigrationsModelDiffer>();
        var designModel = designTime.GetService<IDesignTimeModel>().Model.GetRelationalModel();
        var runtimeModel = runtime.GetService<IDesignTimeModel>().Model.GetRelationalModel();

        Assert.Empty(differ.GetDifferences(designModel, runtimeModel));
        Assert.False(designTime.Database.HasPendingModelChanges());
    }
}
