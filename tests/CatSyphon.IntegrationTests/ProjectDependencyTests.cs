using System.Xml.Linq;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// Which project may depend on which (README, "Architecture"): read from the project files, so a reference that
/// breaks a layer fails here before it spreads.
/// </summary>
public sealed class ProjectDependencyTests
{
    /// <summary>Every shipped project and the projects it may reference directly.</summary>
    public static readonly TheoryData<string, string[]> AllowedReferences = new()
    {
        { "CatSyphon.Protocol", [] },
        { "CatSyphon.Contracts", ["CatSyphon.Protocol"] },
        { "CatSyphon.Ingestion", [] },
        { "CatSyphon.Telemetry", ["CatSyphon.Protocol"] },
        { "CatSyphon.ServiceDefaults", [] },
        { "CatSyphon.Data", ["CatSyphon.Protocol", "CatSyphon.Contracts"] },
        { "CatSyphon.Collector", ["CatSyphon.Protocol"] },
        { "CatSyphon.MigrationService", ["CatSyphon.ServiceDefaults", "CatSyphon.Data", "CatSyphon.Ingestion"] },
        { "CatSyphon.ApiService", ["CatSyphon.ServiceDefaults", "CatSyphon.Data", "CatSyphon.Protocol", "CatSyphon.Ingestion", "CatSyphon.Contracts", "CatSyphon.Telemetry"] },
        { "CatSyphon.Worker", ["CatSyphon.ServiceDefaults", "CatSyphon.Data", "CatSyphon.Protocol", "CatSyphon.Ingestion", "CatSyphon.Telemetry"] },
        { "CatSyphon.Web", ["CatSyphon.ServiceDefaults", "CatSyphon.Contracts", "CatSyphon.Protocol"] },
        { "CatSyphon.AppHost", ["CatSyphon.MigrationService", "CatSyphon.ApiService", "CatSyphon.Worker", "CatSyphon.Web"] },
    };

    [Theory]
    [MemberData(nameof(AllowedReferences))]
    public void A_project_references_only_the_layers_below_it(string project, string[] allowed)
    {
        var references = ProjectReferences(project);

        Assert.Empty(references.Except(allowed));
    }

    [Theory]
    [InlineData("CatSyphon.Web", "CatSyphon.Data")]
    [InlineData("CatSyphon.Web", "CatSyphon.Ingestion")]
    [InlineData("CatSyphon.Collector", "CatSyphon.Contracts")]
    [InlineData("CatSyphon.Contracts", "CatSyphon.Data")]
    public void A_project_never_reaches_a_forbidden_one_even_through_others(string project, string forbidden)
    {
        Assert.DoesNotContain(forbidden, ReachableFrom(project));
    }

    [Theory]
    [InlineData("CatSyphon.Protocol")]
    [InlineData("CatSyphon.Contracts")]
    [InlineData("CatSyphon.Collector")]
    [InlineData("CatSyphon.Telemetry")]
    public void The_pure_libraries_carry_no_infrastructure(string project)
    {
        var packages = Project(project).Descendants("PackageReference").Select(p => (string)p.Attribute("Include")!);

        Assert.DoesNotContain(packages, p =>
            p.Contains("EntityFramework") || p.Contains("Npgsql") || p.Contains("Redis") || p.StartsWith("Aspire") || p.Contains("AspNetCore"));
        Assert.DoesNotContain("Microsoft.NET.Sdk.Web", (string?)Project(project).Attribute("Sdk") ?? "");
    }

    private static HashSet<string> ReachableFrom(string project)
    {
        var reached = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            foreach (var reference in ProjectReferences(next).Where(reached.Add))
            {
                pending.Push(reference);
            }
        }

        return reached;
    }

    private static IReadOnlyList<string> ProjectReferences(string project) =>
        Project(project).Descendants("ProjectReference")
            .Select(reference => Path.GetFileNameWithoutExtension(((string)reference.Attribute("Include")!).Replace('\\', '/')))
            .ToList();

    private static XElement Project(string project) =>
        XElement.Load(Path.Combine(RepositoryRoot.Path, project, project + ".csproj"));
}
