global using System.Text.Json;
global using CatSyphon.Contracts;
global using CatSyphon.Data;
global using CatSyphon.Ingestion;
global using CatSyphon.Protocol;
global using CatSyphon.Worker.Hosting;
global using CatSyphon.Worker.Persisting;
global using CatSyphon.Worker.Persisting.Targets;
global using CatSyphon.Worker.Projection;
global using CatSyphon.Worker.Streams;
global using Microsoft.Extensions.Options;
global using Npgsql;
global using StackExchange.Redis;

// The projectors' vocabulary: each reads event data with these (Text, Integer, Timestamp, …).
global using static CatSyphon.Worker.Projection.EventData;

// StackExchange.Redis has a PersistResult of its own (the PERSIST command's).
global using PersistResult = CatSyphon.Worker.Persisting.PersistResult;
