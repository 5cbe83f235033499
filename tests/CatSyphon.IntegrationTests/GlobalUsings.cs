// The namespaces most of these tests use: the stack's clients (HTTP, PostgreSQL, Redis), JSON, the collector's
// commands and the ingestion buffer format.
global using System.Diagnostics;
global using System.Net;
global using System.Net.Http.Headers;
global using System.Net.Http.Json;
global using System.Security.Cryptography;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Nodes;
global using Aspire.Hosting.ApplicationModel;
global using Aspire.Hosting.Testing;
global using CatSyphon.AppHost;
global using CatSyphon.Collector.Commands;
global using CatSyphon.Collector.Configuration;
global using CatSyphon.Ingestion;
global using Npgsql;
global using StackExchange.Redis;
global using Xunit;
global using Xunit.Abstractions;
