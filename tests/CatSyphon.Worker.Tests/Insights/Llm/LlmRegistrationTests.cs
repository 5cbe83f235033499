using CatSyphon.Worker.Insights.Llm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CatSyphon.Worker.Tests.Insights.Llm;

/// <summary>Without a key the LLM job is not there at all (the worker runs as before); with one it is.</summary>
public sealed class LlmRegistrationTests
{
    [Fact]
    public async Task Without_a_key_the_job_is_not_registered_and_the_host_starts()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Llm:Model"] = "gpt-4o-mini" });
        builder.AddLlmInsights();
        using var host = builder.Build();

        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), service => service is LlmInsightScheduler);
        Assert.Null(host.Services.GetService<LlmChat>());
        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public void With_a_key_the_job_is_registered()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Llm:ApiKey"] = "sk-test", ["Llm:BaseUrl"] = "http://127.0.0.1:9/v1" });
        builder.AddLlmInsights();

        Assert.Contains(builder.Services, service => service.ImplementationType == typeof(LlmInsightScheduler));
    }
}
