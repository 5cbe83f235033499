using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.ApiService.Ingestion;
using CatSyphon.Data;
using CatSyphon.Ingestion;
using CatSyphon.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace CatSyphon.ApiService.Apis;

public sealed record IngestionJobView(
    Guid Id, Guid WorkspaceId, Guid? CollectorId, string SessionId, Guid? ConversationId, IngestionSource Source,
    int ReceivedEvents, int Accepted, int Duplicates, IngestionOutcome Outcome, int? HttpStatus, string? Error,
    DateTimeOffset StartedAt, double? DurationMs);

public sealed record IngestionJobPage(IReadOnlyList<IngestionJobView> Items, string? NextCursor);

public sealed record IngestionStats(
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Batches, long AcceptedBatches, long RefusedBatches,
    double SuccessRate, double FailureRate, long EventsAccepted, long Duplicates, double EventsPerSecond,
    long StreamLag, long DeadLetters);
