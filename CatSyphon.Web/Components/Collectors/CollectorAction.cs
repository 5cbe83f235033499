using CatSyphon.Web.Api;

namespace CatSyphon.Web.Components.Collectors;

public enum CollectorAction
{
    RotateKey,
    Disable,
    Enable,
    Revoke,
    Delete,
}

public sealed record CollectorActionRequest(CollectorSummary Collector, CollectorAction Action);
