namespace CatSyphon.Worker.Insights;

public static class InsightRegistration
{
    /// <summary>Session tagging: its options (section <c>Insights</c>), the shared idle setting (section <c>Sessions</c>) and the scheduler.</summary>
    public static IHostApplicationBuilder AddSessionInsights(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<InsightOptions>(InsightOptions.SectionName);
        builder.Services.AddValidatedOptions<SessionActivityOptions>(SessionActivityOptions.SectionName);
        builder.Services.AddHostedService<InsightScheduler>();
        return builder;
    }
}
