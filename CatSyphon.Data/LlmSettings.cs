using System.ComponentModel.DataAnnotations;

namespace CatSyphon.Data;

/// <summary>
/// The settings of the optional LLM that the worker (which calls it) and the API (which reports its status and the
/// workspaces' budgets) share, from the configuration section <c>Llm</c>.
/// </summary>
public class LlmSettings
{
    public const string SectionName = "Llm";

    /// <summary>The model asked (for Azure OpenAI, the deployment's name).</summary>
    [Required, StringLength(200, MinimumLength = 1)]
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>Tokens (input and output) one workspace may use per calendar month (UTC) unless it sets its own budget.</summary>
    [Range(0, int.MaxValue)]
    public int MonthlyTokenBudget { get; set; } = 2_000_000;
}
