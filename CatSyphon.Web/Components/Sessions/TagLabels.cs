using MudBlazor;

namespace CatSyphon.Web.Components.Sessions;

/// <summary>How the tags read on the page: words for the wire names, and a colour per outcome.</summary>
public static class TagLabels
{
    public static string Of(SessionOutcome outcome) => outcome.ToString().ToLowerInvariant();

    public static string Of(SessionIntent intent) => intent switch
    {
        SessionIntent.BugFix => "bug fix",
        _ => intent.ToString().ToLowerInvariant(),
    };

    public static Color ColorOf(SessionOutcome outcome) => outcome switch
    {
        SessionOutcome.Success => Color.Success,
        SessionOutcome.Partial => Color.Warning,
        SessionOutcome.Failed => Color.Error,
        SessionOutcome.Abandoned => Color.Secondary,
        _ => Color.Default,
    };
}
