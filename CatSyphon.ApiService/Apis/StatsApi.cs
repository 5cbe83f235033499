using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Pricing;
using CatSyphon.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CatSyphon.ApiService.Apis;

public sealed record TokenStats(Guid WorkspaceId, string GroupBy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<PricedTotals> Groups, PricedTotals Totals);
