using CatSyphon.Web.Api;
using CatSyphon.Web.Components.Sessions;

namespace CatSyphon.Web.Tests;

public sealed class PlanDiffTableTests : WebComponentTest
{
    [Fact]
    public void Versions_sit_side_by_side_and_changes_are_named_not_only_coloured()
    {
        var diff = new PlanDiff(Guid.NewGuid(), 1, 2, 1, 0, 1,
        [
            new("unchanged", 1, "1. Parse", 1, "1. Parse"),
            new("changed", 2, "2. Store", 2, "2. Store it"),
            new("added", null, null, 3, "3. Test"),
        ]);

        var table = Render<PlanDiffTable>(parameters => parameters.Add(p => p.Diff, diff));

        Assert.Contains("Version 1 → 2: 1 added, 0 deleted, 1 changed.", table.Find("[data-testid=plan-diff-summary]").TextContent);
        var rows = table.FindAll("tbody tr");
        Assert.Equal(["unchanged", "changed", "added"], rows.Select(row => row.GetAttribute("data-change")));
        Assert.Equal("changed: 2. Store", rows[1].QuerySelector(".diff-old")!.TextContent);
        Assert.Equal("2. Store it", rows[1].QuerySelector(".diff-new")!.TextContent);
        Assert.Equal("", rows[2].QuerySelector(".diff-number")!.TextContent);
        Assert.Contains("added:", rows[2].QuerySelector(".diff-old .visually-hidden")!.TextContent);
        Assert.Null(rows[0].QuerySelector(".visually-hidden"));
    }
}
