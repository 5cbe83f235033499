using CatSyphon.Data;

namespace CatSyphon.ApiService.Infrastructure;

internal static class ApplicationServiceExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatSyphonDbContext>(CatSyphonDbContext.ConnectionName, configureDbContextOptions: CatSyphonDbContext.Configure);
        builder.AddRedisClient(ConnectionNames.Redis);

        builder.Services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
    }
}
