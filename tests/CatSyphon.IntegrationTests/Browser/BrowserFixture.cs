using Microsoft.Playwright;

namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// Debian's chromium, driven by Playwright (which cannot download browsers of its own here), shared by the browser
/// tests. Screenshots go to TestResults/screenshots at the repository root.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not started.");

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: scripts/prerequisites.sh installs it (apt-get install -y chromium).");
        playwright = await Playwright.CreateAsync();
        browser = await LaunchAsync();
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>Another chromium with <paramref name="extraArguments"/> (a certificate to accept, say); the caller disposes it.</summary>
    public Task<IBrowser> LaunchAsync(params string[] extraArguments) =>
        (playwright ?? throw new InvalidOperationException("Playwright has not started.")).Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", .. extraArguments],
        });

    /// <summary>A fresh browser context (its own cookies), optionally starting from a signed-in state.</summary>
    public Task<IBrowserContext> NewContextAsync(string baseUrl, string? storageState = null, ViewportSize? viewport = null, ColorScheme colorScheme = ColorScheme.Light) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            StorageState = storageState,
            ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 1000 },
            ColorScheme = colorScheme,
        });

    /// <summary>Saves the whole page as TestResults/screenshots/<paramref name="name"/>.png.</summary>
    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}

/// <summary>The browser tests: one stack of their own (a first run needs a server without workspaces) and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<RunningStackFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
