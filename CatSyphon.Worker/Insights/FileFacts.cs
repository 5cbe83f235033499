namespace CatSyphon.Worker.Insights;

/// <summary>Languages and areas of a repository from the paths a session changed (or read, when it changed none).</summary>
internal static class FileFacts
{
    private static readonly Dictionary<string, string> LanguageByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".cs"] = "csharp", [".csproj"] = "csharp", [".razor"] = "csharp", [".fs"] = "fsharp", [".py"] = "python",
        [".ts"] = "typescript", [".tsx"] = "typescript", [".js"] = "javascript", [".jsx"] = "javascript", [".mjs"] = "javascript",
        [".go"] = "go", [".rs"] = "rust", [".java"] = "java", [".kt"] = "kotlin", [".rb"] = "ruby", [".php"] = "php",
        [".swift"] = "swift", [".c"] = "c", [".h"] = "c", [".cpp"] = "cpp", [".cc"] = "cpp", [".hpp"] = "cpp",
        [".ex"] = "elixir", [".exs"] = "elixir", [".heex"] = "elixir", [".sh"] = "shell", [".bash"] = "shell", [".sql"] = "sql",
        [".html"] = "html", [".css"] = "css", [".scss"] = "css", [".vue"] = "vue", [".svelte"] = "svelte", [".md"] = "markdown",
        [".yml"] = "yaml", [".yaml"] = "yaml", [".json"] = "json", [".toml"] = "toml", [".tf"] = "terraform", [".lua"] = "lua",
    };

    /// <summary>The language of <paramref name="path"/>'s extension, or null for one not known.</summary>
    public static string? Language(string path) =>
        LanguageByExtension.TryGetValue(Path.GetExtension(path), out var language) ? language : null;

    /// <summary>
    /// The area of <paramref name="path"/>: <c>tests</c>, <c>docs</c> or <c>ci</c> when the path says so, otherwise its
    /// top-level folder under <paramref name="workingDirectory"/> (<c>.</c> for a file at the root). Paths outside it have none.
    /// </summary>
    public static string? Area(string path, string? workingDirectory)
    {
        var relative = Relative(path, workingDirectory);
        if (relative is null)
        {
            return null;
        }

        if (IsTest(relative))
        {
            return "tests";
        }

        if (IsCi(relative))
        {
            return "ci";
        }

        if (IsDoc(relative))
        {
            return "docs";
        }

        var slash = relative.IndexOf('/');
        return slash > 0 ? relative[..slash] : ".";
    }

    public static bool IsTest(string path)
    {
        var lower = path.Replace('\\', '/').ToLowerInvariant();
        var name = Path.GetFileName(lower);
        return lower.Contains("/test/") || lower.Contains("/tests/") || lower.StartsWith("test/") || lower.StartsWith("tests/")
            || lower.Contains("/__tests__/") || lower.Contains(".tests/") || name.StartsWith("test_") || name.Contains("_test.")
            || name.Contains(".test.") || name.Contains(".spec.") || name.EndsWith("tests.cs") || name.EndsWith("test.cs");
    }

    public static bool IsDoc(string path)
    {
        var lower = path.Replace('\\', '/').ToLowerInvariant();
        return lower.StartsWith("docs/") || lower.Contains("/docs/") || lower.EndsWith(".md") || lower.EndsWith(".rst") || lower.EndsWith(".adoc");
    }

    public static bool IsCi(string path)
    {
        var lower = path.Replace('\\', '/').ToLowerInvariant();
        var name = Path.GetFileName(lower);
        return lower.StartsWith(".github/") || lower.StartsWith(".ci/") || lower.Contains(".gitlab-ci") || name.StartsWith("dockerfile")
            || name is "docker-compose.yml" or "compose.yaml" or "azure-pipelines.yml" or "jenkinsfile" || lower.StartsWith("deploy/");
    }

    private static string? Relative(string path, string? workingDirectory)
    {
        var normalized = path.Replace('\\', '/');
        if (!normalized.StartsWith('/') && !(normalized.Length > 1 && normalized[1] == ':'))
        {
            return normalized.TrimStart('.', '/');
        }

        var root = workingDirectory?.Replace('\\', '/').TrimEnd('/');
        return root is { Length: > 0 } && normalized.StartsWith(root + "/", StringComparison.Ordinal) ? normalized[(root.Length + 1)..] : null;
    }
}
