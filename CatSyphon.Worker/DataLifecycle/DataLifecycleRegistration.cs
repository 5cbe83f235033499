namespace CatSyphon.Worker.DataLifecycle;

public static class DataLifecycleRegistration
{
    /// <summary>Erasure and retention: options (section <c>DataLifecycle</c>), the job runner and the retention schedule.</summary>
    public static IHostApplicationBuilder AddDataLifecycle(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DataLifecycleOptions>(DataLifecycleOptions.SectionName);
        builder.Services.AddHostedService<DataJobRunner>();
        builder.Services.AddHostedService<RetentionScheduler>();
        return builder;
    }
}
