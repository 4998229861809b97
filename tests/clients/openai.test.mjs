// The official OpenAI Node SDK (npm `openai`, pinned) against the gateway + emulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startStack } from "./lib/gateway.mjs";

let stack;
let client;
before(async () => {
  stack = await startStack();
  client = new OpenAI({ baseURL: stack.baseURL, apiKey: stack.apiKey, maxRetries: 0, timeout: 30000 });
});
after(async () => { await stack?.close(); });

const weatherTool = {
  type: "function",
  function: {
    name: "get_current_weather",
    description: "Get the current weather in a given location",
    parameters: {
      type: "object",
      properties: { location: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["location"],
    },
  },
};

test("chat completion", async () => {
  const r = await client.chat.completions.create({
    model: "mistral-small-latest",
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello, how are you?" }],
  });
  assert.equal(r.object, "chat.completion");
  assert.equal(r.choices[0].message.role, "assistant");
  assert.equal(typeof r.choices[0].message.content, "string");
  assert.ok(r.choices[0].message.content.length > 0);
  assert.equal(r.choices[0].finish_reason, "stop");
  assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);
});

test("raw response carries LiteLLM headers", async () => {
  const { response } = await client.chat.completions
    .create({ model: "mistral-small-latest", messages: [{ role: "user", content: "hi" }] })
    .withResponse();
  assert.match(response.headers.get("x-litellm-call-id"), /^[0-9a-f-]{36}$/);
  assert.ok(Number(response.headers.get("x-litellm-response-cost")) > 0);
});

test("stream", async () => {
  const stream = await client.chat.completions.create({
    model: "mistral-small-latest", messages: [{ role: "user", content: "Tell me a story" }], stream: true,
  });
  let text = "";
  let finish = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.object, "chat.completion.chunk");
    for (const c of chunk.choices) {
      text += c.delta.content ?? "";
      finish = c.finish_reason ?? finish;
    }
  }
  assert.ok(chunks >= 2);
  assert.ok(text.length > 0);
  assert.equal(finish, "stop");
});

test("stream with include_usage ends with a usage chunk", async () => {
  const stream = await client.chat.completions.create({
    model: "mistral-small-latest", messages: [{ role: "user", content: "Count to five" }],
    stream: true, stream_options: { include_usage: true },
  });
  let last;
  for await (const chunk of stream) last = chunk;
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage.total_tokens > 0);
  assert.equal(last.usage.total_tokens, last.usage.prompt_tokens + last.usage.completion_tokens);
});

test("stream helper (runner) builds the final message", async () => {
  const runner = client.chat.completions.stream({
    model: "mistral-small-latest", messages: [{ role: "user", content: "Say something" }],
  });
  const final = await runner.finalChatCompletion();
  assert.ok(final.choices[0].message.content.length > 0);
});

for (const [name, tool_choice] of [["auto", "auto"], ["required", "required"],
  ["named", { type: "function", function: { name: "get_current_weather" } }]]) {
  test(`tools: tool_choice ${name}`, async () => {
    const r = await client.chat.completions.create({
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "What's the weather like in Boston today?" }],
      tools: [weatherTool], tool_choice,
    });
    const msg = r.choices[0].message;
    assert.equal(r.choices[0].finish_reason, "tool_calls");
    assert.equal(msg.tool_calls.length, 1);
    assert.equal(msg.tool_calls[0].type, "function");
    assert.equal(msg.tool_calls[0].function.name, "get_current_weather");
    const args = JSON.parse(msg.tool_calls[0].function.arguments);
    assert.equal(typeof args.location, "string");
  });
}

test("tool round trip (assistant message echoed back as received)", async () => {
  const messages = [{ role: "user", content: "What's the weather like in Boston today?" }];
  const first = await client.chat.completions.create({ model: "mistral-small-latest", messages, tools: [weatherTool] });
  const msg = first.choices[0].message;
  assert.ok(msg.tool_calls?.length > 0);
  messages.push(msg); // the SDK object as-is: refusal/annotations/etc. included
  for (const call of msg.tool_calls) {
    messages.push({ role: "tool", tool_call_id: call.id, content: JSON.stringify({ temperature: 72 }) });
  }
  const second = await client.chat.completions.create({ model: "mistral-small-latest", messages, tools: [weatherTool] });
  assert.equal(second.choices[0].finish_reason, "stop");
  assert.equal(typeof second.choices[0].message.content, "string");
});

test("streamed tool calls", async () => {
  const stream = await client.chat.completions.create({
    model: "mistral-small-latest", messages: [{ role: "user", content: "Weather in Paris?" }],
    tools: [weatherTool], tool_choice: "required", stream: true,
  });
  const calls = {};
  let finish = null;
  for await (const chunk of stream) {
    for (const c of chunk.choices) {
      for (const tc of c.delta.tool_calls ?? []) {
        assert.equal(typeof tc.index, "number");
        calls[tc.index] ??= { id: "", name: "", args: "" };
        if (tc.id) calls[tc.index].id = tc.id;
        if (tc.function?.name) calls[tc.index].name = tc.function.name;
        calls[tc.index].args += tc.function?.arguments ?? "";
      }
      finish = c.finish_reason ?? finish;
    }
  }
  assert.equal(finish, "tool_calls");
  assert.equal(calls[0].name, "get_current_weather");
  assert.ok(JSON.parse(calls[0].args).location);
});

test("magistral with reasoning_effort", async () => {
  const r = await client.chat.completions.create({
    model: "magistral-medium-2506", messages: [{ role: "user", content: "What is 2+2?" }], reasoning_effort: "medium",
  });
  const msg = r.choices[0].message;
  assert.equal(typeof msg.content, "string");
  assert.equal(typeof msg.reasoning_content, "string");
  assert.ok(msg.reasoning_content.length > 0);
  const stream = await client.chat.completions.create({
    model: "magistral-medium-2506", messages: [{ role: "user", content: "What is 2+2?" }],
    reasoning_effort: "high", stream: true,
  });
  let reasoning = "";
  let content = "";
  for await (const chunk of stream) {
    for (const c of chunk.choices) {
      reasoning += c.delta.reasoning_content ?? "";
      assert.ok(c.delta.content === undefined || c.delta.content === null || typeof c.delta.content === "string");
      content += c.delta.content ?? "";
    }
  }
  assert.ok(reasoning.length > 0);
  assert.ok(content.length > 0);
});

test("embeddings: float and base64", async () => {
  const f = await client.embeddings.create({ model: "mistral-embed", input: ["hello", "world"], encoding_format: "float" });
  assert.equal(f.data.length, 2);
  assert.equal(f.data[0].embedding.length, 1024);
  // The SDK's default asks for base64 and decodes it to floats itself.
  const b = await client.embeddings.create({ model: "mistral-embed", input: "hello" });
  assert.equal(b.data[0].embedding.length, 1024);
  for (let i = 0; i < 1024; i++) assert.ok(Math.abs(b.data[0].embedding[i] - f.data[0].embedding[i]) < 1e-6);
});

test("models list", async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids, ["mistral-small-latest", "magistral-medium-2506", "mistral-embed"]);
  const one = await client.models.retrieve("mistral-embed");
  assert.equal(one.id, "mistral-embed");
});

test("errors: bad key, unknown model, bad request", async () => {
  const bad = new OpenAI({ baseURL: stack.baseURL, apiKey: "sk-wrong", maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: "mistral-small-latest", messages: [{ role: "user", content: "x" }] }),
    (e) => e instanceof OpenAI.AuthenticationError && e.status === 401);
  await assert.rejects(client.chat.completions.create({ model: "gpt-unknown", messages: [{ role: "user", content: "x" }] }),
    (e) => e instanceof OpenAI.BadRequestError && /gpt-unknown/.test(e.message));
  await assert.rejects(client.chat.completions.create({ model: "mistral-small-latest", messages: [{ role: "user", content: "x" }], temperature: "hot" }),
    (e) => e instanceof OpenAI.BadRequestError && e.status === 400);
});
