using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Conversion
{
    /// <summary>Reads configuration JSON exactly as written: no date guessing (a "since" stays text), decimals kept.</summary>
    internal static class JsonConfig
    {
        /// <summary>Reads a configuration file; a missing file or bad JSON is a <see cref="ConfigurationException"/> naming the file and position.</summary>
        public static JObject Load(string path, string what)
        {
            if (!File.Exists(path)) throw new ConfigurationException($"{path}: the {what} file does not exist.");
            try
            {
                return Parse(File.ReadAllText(path));
            }
            catch (JsonReaderException ex)
            {
                throw new ConfigurationException($"{path}: line {ex.LineNumber}, column {ex.LinePosition}: the {what} is not valid JSON: {ex.Message}");
            }
        }

        public static JObject Parse(string text)
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
            var token = JToken.ReadFrom(reader);
            if (reader.Read()) throw new JsonReaderException($"Unexpected {reader.TokenType} after the end of the configuration.", reader.Path, reader.LineNumber, reader.LinePosition, null);
            return token as JObject ?? throw new JsonReaderException("The configuration must be a JSON object.", reader.Path, 1, 1, null);
        }
    }
}
