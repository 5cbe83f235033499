using System.Text.RegularExpressions;

namespace CatSyphon.Web.Components.Workspaces;

/// <summary>Workspace slugs as the API accepts them: 1 to 100 lowercase letters, digits and hyphens, not starting with a hyphen.</summary>
public static partial class WorkspaceSlug
{
    private const int MaxLength = 100;

    public static bool IsValid(string slug) => Pattern().IsMatch(slug);

    /// <summary>A slug made from a name: "Platform Team!" becomes "platform-team".</summary>
    public static string From(string name)
    {
        var slug = NotSlug().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length > MaxLength ? slug[..MaxLength].TrimEnd('-') : slug;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex Pattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
