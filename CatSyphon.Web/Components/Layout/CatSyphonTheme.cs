using MudBlazor;

namespace CatSyphon.Web.Components.Layout;

/// <summary>The app's colours in light and dark mode; both keep text contrast at WCAG AA.</summary>
public static class CatSyphonTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4f3fc4",
            Secondary = "#00796b",
            AppbarBackground = "#4f3fc4",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a99dff",
            Secondary = "#4db6ac",
            AppbarBackground = "#1e1b2e",
        },
    };
}
