namespace CatSyphon.Protocol.Tests;

/// <summary>The install and update lines the set-up page and <c>catsyphon status</c> give, and which offered version is newer.</summary>
public sealed class CollectorFeedTests
{
    [Fact]
    public void An_https_server_is_named_on_the_command_line()
    {
        Assert.Equal("dotnet tool install --global CatSyphon.Collector --add-source https://cs.example.com/nuget/v3/index.json",
            CollectorFeed.InstallCommand("https://cs.example.com/"));
        Assert.Equal("dotnet tool update --global CatSyphon.Collector --add-source https://cs.example.com/nuget/v3/index.json",
            CollectorFeed.UpdateCommand("https://cs.example.com"));
    }

    [Fact]
    public void A_plain_http_server_is_named_in_a_nuget_config_that_allows_it_since_nuget_refuses_http_sources()
    {
        var lines = CollectorFeed.InstallCommand("http://localhost:8000").Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.Equal("""printf '<configuration><packageSources><add key="catsyphon" value="http://localhost:8000/nuget/v3/index.json" allowInsecureConnections="true" /></packageSources></configuration>' > catsyphon-nuget.config""", lines[0]);
        Assert.Equal("dotnet tool install --global CatSyphon.Collector --configfile catsyphon-nuget.config", lines[1]);
    }

    [Theory]
    [InlineData("0.1.0", new[] { "0.1.0" }, null)]
    [InlineData("0.1.0", new[] { "0.0.9", "0.1.0" }, null)]
    [InlineData("0.9.0", new[] { "0.10.0", "0.9.1" }, "0.10.0")]
    [InlineData("1.0.0", new[] { "1.0.0-beta.2" }, null)]
    [InlineData("1.0.0-beta.1", new[] { "1.0.0" }, "1.0.0")]
    [InlineData("0.1.0", new[] { "not a version", "0.2.0" }, "0.2.0")]
    [InlineData("0.1.0", new string[0], null)]
    public void Only_a_newer_version_in_nugets_order_is_offered(string current, string[] offered, string? expected) =>
        Assert.Equal(expected, CollectorFeed.NewerThan(current, offered));
}
