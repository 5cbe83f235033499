using CatSyphon.Data;
using CatSyphon.Worker.DataLifecycle;
using CatSyphon.Worker.Hosting;
using CatSyphon.Worker.Insights;
using CatSyphon.Worker.Insights.Llm;

namespace CatSyphon.Worker;

internal static class ApplicationServiceExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatSyphonDbContext>(CatSyphonDbContext.ConnectionName, configureDbContextOptions: CatSyphonDbContext.Configure);
        builder.AddCatSyphonRedisClient();
        builder.AddIngestionWorker();
        builder.AddDataLifecycle();
        builder.AddSessionInsights();
        builder.AddLlmInsights();
    }
}
