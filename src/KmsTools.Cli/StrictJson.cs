using System;
using System.Collections.Generic;
using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace KmsTools.Cli
{
    /// <summary>
    /// JSON as RFC 8259 writes it and the aws CLI's parser reads it: one value and nothing after it, double-quoted
    /// strings and names, no comments, no trailing commas, no NaN, and no member named twice in an object (Newtonsoft
    /// would keep the last one silently). The text is checked by a grammar of its own first, then parsed.
    /// </summary>
    public static class StrictJson
    {
        /// <summary>The JSON object in <paramref name="text"/>; anything else is an error from <paramref name="fail"/>, with the reason and position.</summary>
        public static JObject ParseObject(string text, Func<string, Exception> fail)
        {
            var checker = new Checker(text ?? string.Empty, fail);
            checker.Document();
            using (var reader = new JsonTextReader(new System.IO.StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal })
                return JObject.Load(reader);
        }

        private sealed class Checker
        {
            private readonly string _text;
            private readonly Func<string, Exception> _fail;
            private int _at;

            public Checker(string text, Func<string, Exception> fail)
            {
                _text = text;
                _fail = fail;
            }

            public void Document()
            {
                Space();
                if (Peek() != '{') throw Fail("a JSON object (starting with '{') is expected");
                Value();
                Space();
                if (_at < _text.Length) throw Fail("there is text after the JSON object");
            }

            private void Value()
            {
                Space();
                char c = Peek();
                switch (c)
                {
                    case '{': Object(); return;
                    case '[': Array(); return;
                    case '"': String(); return;
                    case 't': Literal("true"); return;
                    case 'f': Literal("false"); return;
                    case 'n': Literal("null"); return;
                    default:
                        if (c == '-' || c >= '0' && c <= '9') { Number(); return; }
                        throw Fail(c == '\'' ? "strings must be in double quotes" : c == '/' ? "comments are not JSON" : $"'{Shown(c)}' cannot start a value");
                }
            }

            private void Object()
            {
                _at++;
                var names = new HashSet<string>(StringComparer.Ordinal);
                Space();
                if (Peek() == '}') { _at++; return; }
                while (true)
                {
                    Space();
                    if (Peek() != '"') throw Fail(Peek() == '}' ? "a comma before '}' is not JSON" : "a member name in double quotes is expected");
                    int start = _at;
                    string name = String();
                    if (!names.Add(name)) { _at = start; throw Fail($"the member \"{name}\" is given twice"); }
                    Space();
                    if (Peek() != ':') throw Fail("':' is expected after a member name");
                    _at++;
                    Value();
                    Space();
                    char c = Peek();
                    _at++;
                    if (c == '}') return;
                    if (c != ',') { _at--; throw Fail("',' or '}' is expected"); }
                }
            }

            private void Array()
            {
                _at++;
                Space();
                if (Peek() == ']') { _at++; return; }
                while (true)
                {
                    Space();
                    if (Peek() == ']') throw Fail("a comma before ']' is not JSON");
                    Value();
                    Space();
                    char c = Peek();
                    _at++;
                    if (c == ']') return;
                    if (c != ',') { _at--; throw Fail("',' or ']' is expected"); }
                }
            }

            private string String()
            {
                var value = new System.Text.StringBuilder();
                _at++;
                while (true)
                {
                    if (_at >= _text.Length) throw Fail("a string is not closed");
                    char c = _text[_at++];
                    if (c == '"') return value.ToString();
                    if (c < ' ') { _at--; throw Fail("a control character must be escaped in a string"); }
                    if (c != '\\') { value.Append(c); continue; }
                    char e = Peek();
                    _at++;
                    switch (e)
                    {
                        case '"': value.Append('"'); break;
                        case '\\': value.Append('\\'); break;
                        case '/': value.Append('/'); break;
                        case 'b': value.Append('\b'); break;
                        case 'f': value.Append('\f'); break;
                        case 'n': value.Append('\n'); break;
                        case 'r': value.Append('\r'); break;
                        case 't': value.Append('\t'); break;
                        case 'u':
                            if (_at + 4 > _text.Length || !int.TryParse(_text.Substring(_at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                                throw Fail("\\u needs four hex digits");
                            value.Append((char)code);
                            _at += 4;
                            break;
                        default:
                            _at--;
                            throw Fail($"'\\{Shown(e)}' is not a JSON escape");
                    }
                }
            }

            private void Number()
            {
                int start = _at;
                if (Peek() == '-') _at++;
                if (Peek() == '0') _at++;
                else if (Peek() >= '1' && Peek() <= '9') Digits();
                else throw Fail("a digit is expected");
                if (Peek() == '.') { _at++; if (!(Peek() >= '0' && Peek() <= '9')) throw Fail("a digit is expected after '.'"); Digits(); }
                if (Peek() == 'e' || Peek() == 'E')
                {
                    _at++;
                    if (Peek() == '+' || Peek() == '-') _at++;
                    if (!(Peek() >= '0' && Peek() <= '9')) throw Fail("a digit is expected in the exponent");
                    Digits();
                }
                if (_at == start) throw Fail("a number is expected");
            }

            private void Digits()
            {
                while (Peek() >= '0' && Peek() <= '9') _at++;
            }

            private void Literal(string word)
            {
                if (string.CompareOrdinal(_text, _at, word, 0, word.Length) != 0) throw Fail($"'{Shown(Peek())}' cannot start a value");
                _at += word.Length;
            }

            private void Space()
            {
                while (_at < _text.Length && (_text[_at] == ' ' || _text[_at] == '\t' || _text[_at] == '\n' || _text[_at] == '\r')) _at++;
            }

            private char Peek() => _at < _text.Length ? _text[_at] : '\0';

            private static string Shown(char c) => c == '\0' ? "end of text" : c < ' ' ? $"\\u{(int)c:x4}" : c.ToString();

            private Exception Fail(string why)
            {
                int line = 1, column = 1;
                for (int i = 0; i < _at && i < _text.Length; i++)
                {
                    if (_text[i] == '\n') { line++; column = 1; }
                    else column++;
                }
                return _fail($"{why} (line {line}, column {column})");
            }
        }
    }
}
