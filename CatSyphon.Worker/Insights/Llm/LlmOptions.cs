using System.ComponentModel.DataAnnotations;

namespace CatSyphon.Worker.Insights.Llm;

/// <summary>
/// The optional LLM (configuration section <c>Llm</c>): any OpenAI-compatible chat completions endpoint. Without
/// <see cref="ApiKey"/> the LLM job is not started and every other feature works as before.
/// </summary>
public sealed class LlmOptions : LlmSettings
{
    /// <summary>The endpoint's key: from user secrets or the environment (<c>Llm__ApiKey</c>), never from a file in the repository; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The endpoint's base address (…/v1); null is OpenAI's. Azure OpenAI's v1 endpoint, Ollama, vLLM and llama.cpp work alike.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The longest one request may take (each attempt).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts of one request (transient failures), and failed requests of one session version before it waits until it grows.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first back-off between attempts; it doubles each time, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait a server's Retry-After may impose before an attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a replica looks for sessions due, and once at start.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sessions asked about per round.</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>The longest session rendering sent (its start and its end are kept).</summary>
    [Range(1_000, 500_000)]
    public int MaxPromptCharacters { get; set; } = 24_000;

    [Range(100, 16_000)]
    public int MaxOutputTokens { get; set; } = 800;

    /// <summary>Whether a key is set: the job runs only then.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);
}
