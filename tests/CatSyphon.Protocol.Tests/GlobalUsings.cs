global using System.Text;
global using System.Text.Json;
global using CatSyphon.Protocol.Parsing;
global using CatSyphon.Protocol.Parsing.Claude;
global using CatSyphon.Protocol.Parsing.Codex;
