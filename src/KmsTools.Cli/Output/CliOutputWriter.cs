using System;
using System.Collections.Generic;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace KmsTools.Cli.Output
{
    /// <summary>
    /// One of the AWS CLI's --output formats: writes a response's JSON form (after --query) exactly as the CLI prints it.
    /// </summary>
    public abstract class CliOutputWriter
    {
        private static readonly CliOutputWriter[] Writers =
        {
            new JsonOutputWriter(), new TextOutputWriter(), new TableOutputWriter(), new YamlOutputWriter(),
        };

        /// <summary>The -Output value that picks this writer.</summary>
        public abstract string Name { get; }

        /// <param name="document">The response's JSON form, after -Query.</param>
        /// <param name="operation">The API operation, which the table format shows as its title.</param>
        /// <returns>What the CLI prints, final newline included; empty when it prints nothing.</returns>
        public abstract string Write(JToken document, string operation);

        public static IReadOnlyList<string> Formats { get; } = Array.ConvertAll(Writers, w => w.Name);

        public static CliOutputWriter For(string format)
        {
            foreach (CliOutputWriter writer in Writers)
                if (string.Equals(writer.Name, format, StringComparison.OrdinalIgnoreCase)) return writer;
            throw new KmsException(KmsErrorCodes.Validation,
                $"Invalid -Output '{format}'; valid choices are: {string.Join(", ", Formats)}.", "Output");
        }

        /// <summary>Python's str() of a JSON scalar, which the text and table formats print.</summary>
        internal static string PythonString(JToken value)
        {
            switch (value.Type)
            {
                case JTokenType.Null: return "None";
                case JTokenType.Boolean: return (bool)value ? "True" : "False";
                case JTokenType.Float: return PythonFloat((double)value);
                case JTokenType.Integer: return ((long)value).ToString(CultureInfo.InvariantCulture);
                default: return (string)value;
            }
        }

        /// <summary>Python's repr of a float: the shortest round-trip digits, ".0" on whole numbers, "e+" exponents.</summary>
        internal static string PythonFloat(double value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains(".") || text.Contains("E") || text.Contains("e") ? text.Replace("E+", "e+") : text + ".0";
        }

        /// <summary>Python's truth value of a JSON value: null, false, 0, "" and empty containers are false.</summary>
        internal static bool PythonTruthy(JToken value)
        {
            switch (value?.Type)
            {
                case null:
                case JTokenType.Null: return false;
                case JTokenType.Boolean: return (bool)value;
                case JTokenType.Integer: return (long)value != 0;
                case JTokenType.Float: return (double)value != 0;
                case JTokenType.String: return ((string)value).Length > 0;
                case JTokenType.Object:
                case JTokenType.Array: return value.HasValues;
                default: return true;
            }
        }
    }
}
