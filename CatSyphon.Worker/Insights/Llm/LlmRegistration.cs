namespace CatSyphon.Worker.Insights.Llm;

public static class LlmRegistration
{
    /// <summary>
    /// The optional LLM insights (section <c>Llm</c>): the options are always bound and validated; the chat client and
    /// the job are registered only when a key is configured, so without one nothing runs, calls out or logs.
    /// </summary>
    public static IHostApplicationBuilder AddLlmInsights(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LlmOptions>(LlmOptions.SectionName);
        if (builder.Configuration.GetSection(LlmOptions.SectionName).Get<LlmOptions>() is not { IsConfigured: true })
        {
            return builder;
        }

        builder.Services.AddSingleton<LlmChat>();
        builder.Services.AddHostedService<LlmInsightScheduler>();
        return builder;
    }
}
