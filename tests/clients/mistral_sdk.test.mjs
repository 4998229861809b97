// Mistral's official TypeScript SDK (@mistralai/mistralai, pinned in package.json) against the
// emulator binary. The SDK validates every response with zod, so each call passing means the
// emulator's answer has the shape the real API has.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { Mistral } from "@mistralai/mistralai";
import { HTTPValidationError, MistralError } from "@mistralai/mistralai/models/errors";

function startEmulator(args = []) {
  const bin = process.env.EMULATOR_BIN;
  if (!bin) throw new Error("EMULATOR_BIN must point at the mistral-emulator binary");
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`emulator did not start: ${out}`));
    }, 15000);
    proc.stdout.on("data", (d) => {
      out += d.toString();
      const m = out.match(/^mistral-emulator listening on http:\/\/127\.0\.0\.1:(\d+)\n/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, port: Number(m[1]) });
      }
    });
    proc.stderr.on("data", (d) => { out += d.toString(); });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}: ${out}`));
    });
  });
}

function stopEmulator(emu) {
  return new Promise((resolve) => {
    if (emu.proc.exitCode !== null) return resolve(emu.proc.exitCode);
    emu.proc.removeAllListeners("exit");
    emu.proc.on("exit", (code) => resolve(code));
    emu.proc.kill("SIGTERM");
  });
}

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the current weather in a city",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      },
      required: ["city", "unit"],
    },
  },
};
const timeTool = {
  type: "function",
  function: {
    name: "get_time",
    description: "Get the local time in a timezone",
    parameters: { type: "object", properties: { timezone: { type: "string" } }, required: ["timezone"] },
  },
};

describe("Mistral TypeScript SDK against mistral-emulator", () => {
  let emu;
  let client;
  before(async () => {
    emu = await startEmulator();
    client = new Mistral({ apiKey: "test-key", serverURL: `http://127.0.0.1:${emu.port}` });
  });
  after(async () => {
    const code = await stopEmulator(emu);
    assert.equal(code, 0, "the emulator exits 0 on SIGTERM");
  });

  test("chat.complete returns a validated completion with consistent usage", async () => {
    const res = await client.chat.complete({
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "Who is the best French painter?" }],
    });
    assert.equal(res.object, "chat.completion");
    assert.equal(res.model, "mistral-small-latest");
    assert.ok(Number.isInteger(res.created));
    assert.equal(res.choices.length, 1);
    assert.equal(res.choices[0].finishReason, "stop");
    assert.equal(typeof res.choices[0].message.content, "string");
    assert.ok(res.choices[0].message.content.length > 10);
    assert.equal(res.usage.totalTokens, res.usage.promptTokens + res.usage.completionTokens);
    assert.ok(res.usage.promptTokens > 0 && res.usage.completionTokens > 0);
  });

  test("chat.complete is deterministic and honours max_tokens", async () => {
    const req = {
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "Tell me a long story" }],
      randomSeed: 7,
    };
    const a = await client.chat.complete(req);
    const b = await client.chat.complete(req);
    assert.equal(a.choices[0].message.content, b.choices[0].message.content);
    const short = await client.chat.complete({ ...req, maxTokens: 3 });
    assert.equal(short.choices[0].finishReason, "length");
    assert.ok(short.usage.completionTokens <= 3);
  });

  test("chat.stream yields chunks, usage on the last one, and the same text as complete", async () => {
    const req = { model: "mistral-small-latest", messages: [{ role: "user", content: "Stream please" }] };
    const whole = await client.chat.complete(req);
    const stream = await client.chat.stream(req);
    let text = "";
    let chunks = 0;
    let last;
    for await (const event of stream) {
      chunks += 1;
      const choice = event.data.choices[0];
      if (typeof choice.delta.content === "string") text += choice.delta.content;
      last = event.data;
    }
    assert.ok(chunks > 3);
    assert.equal(text, whole.choices[0].message.content);
    assert.equal(last.choices[0].finishReason, "stop");
    assert.equal(last.usage.totalTokens, last.usage.promptTokens + last.usage.completionTokens);
    assert.equal(last.usage.completionTokens, whole.usage.completionTokens);
  });

  test("tools with toolChoice auto: a 9-character id and arguments valid for the schema", async () => {
    const res = await client.chat.complete({
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [timeTool, weatherTool],
      toolChoice: "auto",
    });
    const choice = res.choices[0];
    assert.equal(choice.finishReason, "tool_calls");
    const call = choice.message.toolCalls[0];
    assert.match(call.id, /^[A-Za-z0-9]{9}$/);
    assert.equal(call.function.name, "get_weather");
    const args = JSON.parse(call.function.arguments);
    assert.equal(typeof args.city, "string");
    assert.ok(["celsius", "fahrenheit"].includes(args.unit));
  });

  test("toolChoice any forces a call; a named tool forces that tool", async () => {
    const any = await client.chat.complete({
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "Hello" }],
      tools: [weatherTool],
      toolChoice: "any",
    });
    assert.equal(any.choices[0].message.toolCalls.length, 1);
    const named = await client.chat.complete({
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [weatherTool, timeTool],
      toolChoice: { type: "function", function: { name: "get_time" } },
    });
    assert.equal(named.choices[0].message.toolCalls[0].function.name, "get_time");
  });

  test("second turn: after the tool result the model answers in text", async () => {
    const messages = [{ role: "user", content: "What is the weather in Paris?" }];
    const first = await client.chat.complete({ model: "mistral-small-latest", messages, tools: [weatherTool] });
    const assistant = first.choices[0].message;
    const call = assistant.toolCalls[0];
    // The SDK echoes the assistant message as it received it (prefix: false, index in tool calls).
    messages.push(assistant);
    messages.push({ role: "tool", name: call.function.name, toolCallId: call.id, content: "22 degrees and sunny" });
    const second = await client.chat.complete({ model: "mistral-small-latest", messages, tools: [weatherTool] });
    assert.equal(second.choices[0].finishReason, "stop");
    assert.equal(second.choices[0].message.toolCalls ?? null, null);
    assert.match(second.choices[0].message.content, /22 degrees and sunny/);
  });

  test("streamed tool call arrives whole in one chunk", async () => {
    const stream = await client.chat.stream({
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "Weather in Lyon?" }],
      tools: [weatherTool],
      toolChoice: "any",
    });
    const calls = [];
    let finish;
    let usage;
    for await (const event of stream) {
      const choice = event.data.choices[0];
      if (choice.delta.toolCalls) calls.push(...choice.delta.toolCalls);
      if (choice.finishReason) finish = choice.finishReason;
      if (event.data.usage) usage = event.data.usage;
    }
    assert.equal(calls.length, 1);
    assert.equal(calls[0].function.name, "get_weather");
    assert.match(calls[0].id, /^[A-Za-z0-9]{9}$/);
    JSON.parse(calls[0].function.arguments);
    assert.equal(finish, "tool_calls");
    assert.ok(usage.completionTokens > 0);
  });

  test("Magistral answers with a thinking chunk then a text chunk, plain and streamed", async () => {
    const req = { model: "magistral-medium-2506", messages: [{ role: "user", content: "What is 2+2?" }] };
    const res = await client.chat.complete(req);
    const content = res.choices[0].message.content;
    assert.ok(Array.isArray(content));
    assert.equal(content[0].type, "thinking");
    assert.equal(content[0].thinking[0].type, "text");
    assert.ok(content[0].thinking[0].text.length > 0);
    assert.equal(content[1].type, "text");
    assert.ok(content[1].text.length > 0);

    const stream = await client.chat.stream(req);
    let thinking = "";
    let text = "";
    for await (const event of stream) {
      const delta = event.data.choices[0].delta.content;
      if (!Array.isArray(delta)) continue;
      for (const chunk of delta) {
        if (chunk.type === "thinking") thinking += chunk.thinking.map((t) => t.text).join("");
        if (chunk.type === "text") text += chunk.text;
      }
    }
    assert.equal(thinking, content[0].thinking[0].text);
    assert.equal(text, content[1].text);
  });

  test("response_format json_schema returns JSON valid for the schema", async () => {
    const res = await client.chat.complete({
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "Describe a book" }],
      responseFormat: {
        type: "json_schema",
        jsonSchema: {
          name: "book",
          schemaDefinition: {
            type: "object",
            properties: {
              title: { type: "string" },
              pages: { type: "integer", minimum: 10, maximum: 20 },
              genre: { type: "string", enum: ["novel", "essay"] },
            },
            required: ["title", "pages", "genre"],
          },
        },
      },
    });
    const value = JSON.parse(res.choices[0].message.content);
    assert.equal(typeof value.title, "string");
    assert.ok(Number.isInteger(value.pages) && value.pages >= 10 && value.pages <= 20);
    assert.ok(["novel", "essay"].includes(value.genre));
  });

  test("embeddings: mistral-embed has 1024 unit-length dimensions; similar texts are closer", async () => {
    const res = await client.embeddings.create({
      model: "mistral-embed",
      inputs: ["The cat sat on the mat", "The cat sat on a mat", "Quarterly revenue grew by ten percent"],
    });
    assert.equal(res.object, "list");
    assert.ok(res.id.length > 0);
    assert.equal(res.data.length, 3);
    const [a, b, c] = res.data.map((d) => d.embedding);
    assert.equal(a.length, 1024);
    const dot = (x, y) => x.reduce((s, v, i) => s + v * y[i], 0);
    assert.ok(Math.abs(dot(a, a) - 1) < 1e-3);
    assert.ok(dot(a, b) > dot(a, c));
    assert.equal(res.usage.totalTokens, res.usage.promptTokens);
  });

  test("embeddings: codestral-embed honours outputDimension and outputDtype", async () => {
    const res = await client.embeddings.create({
      model: "codestral-embed",
      inputs: "def add(a, b): return a + b",
      outputDimension: 256,
      outputDtype: "int8",
    });
    const v = res.data[0].embedding;
    assert.equal(v.length, 256);
    assert.ok(v.every((x) => Number.isInteger(x) && x >= -128 && x <= 127));
  });

  test("models.list returns base model cards for the registry's models", async () => {
    const res = await client.models.list();
    assert.equal(res.object, "list");
    const ids = res.data.map((m) => m.id);
    for (const id of ["mistral-small-latest", "mistral-embed", "magistral-medium-2506", "codestral-latest"]) {
      assert.ok(ids.includes(id), `${id} listed`);
    }
    for (const card of res.data) {
      assert.equal(card.type, "base");
      assert.equal(typeof card.capabilities.completionChat, "boolean");
    }
    const small = res.data.find((m) => m.id === "mistral-small-latest");
    assert.equal(small.capabilities.completionChat, true);
    assert.equal(small.capabilities.functionCalling, true);
    assert.ok(small.maxContextLength > 0);
  });

  test("models.retrieve returns one card; codestral reports FIM", async () => {
    const card = await client.models.retrieve({ modelId: "codestral-latest" });
    assert.equal(card.id, "codestral-latest");
    assert.equal(card.type, "base");
    assert.equal(card.capabilities.completionFim, true);
  });

  test("fim.complete fills in the middle for codestral", async () => {
    const res = await client.fim.complete({
      model: "codestral-latest",
      prompt: "def fibonacci(n):",
      suffix: "return result",
    });
    assert.equal(typeof res.choices[0].message.content, "string");
    assert.ok(res.choices[0].message.content.length > 0);
  });

  test("a rejected key is a 401 with Mistral's body; an accepted key works", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mistral-emulator-"));
    const config = join(dir, "emulator.yaml");
    writeFileSync(config, "api_keys: [good-key]\n");
    const strict = await startEmulator(["--config", config]);
    try {
      const good = new Mistral({ apiKey: "good-key", serverURL: `http://127.0.0.1:${strict.port}` });
      await good.models.list();
      const bad = new Mistral({ apiKey: "wrong-key", serverURL: `http://127.0.0.1:${strict.port}` });
      await assert.rejects(
        bad.chat.complete({ model: "mistral-small-latest", messages: [{ role: "user", content: "hi" }] }),
        (err) => {
          assert.ok(err instanceof MistralError);
          assert.equal(err.statusCode, 401);
          assert.equal(JSON.parse(err.body).message, "Unauthorized");
          return true;
        },
      );
    } finally {
      await stopEmulator(strict);
    }
  });

  test("an unknown model is a 400 invalid_model", async () => {
    await assert.rejects(
      client.chat.complete({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] }),
      (err) => {
        assert.ok(err instanceof MistralError);
        assert.equal(err.statusCode, 400);
        const body = JSON.parse(err.body);
        assert.equal(body.object, "error");
        assert.equal(body.type, "invalid_model");
        assert.equal(body.message, "Invalid model: no-such-model");
        return true;
      },
    );
  });

  test("an out-of-range value is a 422 the SDK raises as HTTPValidationError", async () => {
    await assert.rejects(
      client.chat.complete({
        model: "mistral-small-latest",
        messages: [{ role: "user", content: "hi" }],
        temperature: 5,
      }),
      (err) => {
        assert.ok(err instanceof HTTPValidationError);
        assert.equal(err.statusCode, 422);
        const detail = JSON.parse(err.body).message.detail;
        assert.equal(detail[0].type, "less_than_equal");
        assert.deepEqual(detail[0].loc, ["body", "temperature"]);
        return true;
      },
    );
  });

  test("an unknown field (stream_options) is a 422 extra_forbidden", async () => {
    // The SDK strips fields it does not know, so this one goes over plain fetch.
    const res = await fetch(`http://127.0.0.1:${emu.port}/v1/chat/completions`, {
      method: "POST",
      headers: { Authorization: "Bearer test-key", "Content-Type": "application/json" },
      body: JSON.stringify({
        model: "mistral-small-latest",
        messages: [{ role: "user", content: "hi" }],
        stream_options: { include_usage: true },
      }),
    });
    assert.equal(res.status, 422);
    const body = await res.json();
    assert.equal(body.object, "error");
    assert.equal(body.message.detail[0].type, "extra_forbidden");
    assert.deepEqual(body.message.detail[0].loc, ["body", "stream_options"]);
  });
});
