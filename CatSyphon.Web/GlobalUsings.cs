// The API's records and JSON options, as the API itself declares them: the web keeps no copy.
global using CatSyphon.Contracts;
