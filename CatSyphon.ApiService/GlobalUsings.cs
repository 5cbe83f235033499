// The query and management API's records and JSON options, used by nearly every endpoint file.
global using CatSyphon.Contracts;
