namespace CatSyphon.Web.Components.Shared;

/// <summary>One row of a <see cref="BarList"/>: the value sizes the bar, <see cref="Display"/> is what is written.</summary>
public sealed record BarRow(string Name, double Value, string Display, string? Href = null);
