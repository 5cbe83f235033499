using Microsoft.EntityFrameworkCore;

namespace CatSyphon.Data.Tests;

/// <summary>A context configured the way the hosts configure it; its connection is never opened.</summary>
internal static class TestDb
{
    public const string ConnectionString = "Host=localhost;Port=1;Database=catsyphon_model_tests;Username=nobody";

    public static CatSyphonDbContext Create()
    {
        var builder = new DbContextOptionsBuilder<CatSyphonDbContext>().UseNpgsql(ConnectionString);
        CatSyphonDbContext.Configure(builder);
        return new CatSyphonDbContext(builder.Options);
    }
}
