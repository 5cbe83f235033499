global using CatSyphon.Data;
global using CatSyphon.Ingestion;
global using CatSyphon.Protocol;
global using CatSyphon.Worker.Hosting;
global using CatSyphon.Worker.Persisting;
global using CatSyphon.Worker.Tests.Infrastructure;
global using StackExchange.Redis;

// StackExchange.Redis has a PersistResult of its own (the PERSIST command's).
global using PersistResult = CatSyphon.Worker.Persisting.PersistResult;
