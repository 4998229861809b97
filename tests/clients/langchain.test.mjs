// LangChain JS (@langchain/openai, pinned) against the gateway + emulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { startStack } from "./lib/gateway.mjs";

let stack;
const chat = (opts = {}) => new ChatOpenAI({
  model: "mistral-small-latest", apiKey: stack.apiKey, maxRetries: 0,
  configuration: { baseURL: stack.baseURL }, ...opts,
});

before(async () => { stack = await startStack(); });
after(async () => { await stack?.close(); });

const weather = tool(async ({ location }) => JSON.stringify({ location, temperature: 72 }), {
  name: "get_current_weather",
  description: "Get the current weather in a given location",
  schema: z.object({ location: z.string().describe("The city") }),
});

test("invoke with system + human", async () => {
  const r = await chat().invoke([new SystemMessage("Be brief."), new HumanMessage("Hello, how are you?")]);
  assert.equal(typeof r.content, "string");
  assert.ok(r.content.length > 0);
  assert.ok(r.usage_metadata.total_tokens > 0);
});

test("stream", async () => {
  let text = "";
  let chunks = 0;
  for await (const c of await chat().stream("Tell me a short story")) {
    chunks++;
    text += c.content;
  }
  assert.ok(chunks >= 2);
  assert.ok(text.length > 0);
});

test("bindTools + tool round trip", async () => {
  const model = chat().bindTools([weather]);
  const messages = [new HumanMessage("What's the weather in Boston?")];
  const ai = await model.invoke(messages);
  assert.equal(ai.tool_calls.length, 1);
  assert.equal(ai.tool_calls[0].name, "get_current_weather");
  assert.equal(typeof ai.tool_calls[0].args.location, "string");
  messages.push(ai);
  const result = await weather.invoke(ai.tool_calls[0]);
  assert.ok(result instanceof ToolMessage);
  messages.push(result);
  const final = await model.invoke(messages);
  assert.equal(typeof final.content, "string");
  assert.ok(final.content.length > 0);
});

test("streamed tool calls through bindTools", async () => {
  const model = chat().bindTools([weather], { tool_choice: "required" });
  let acc;
  for await (const c of await model.stream("Weather in Paris?")) acc = acc ? acc.concat(c) : c;
  assert.equal(acc.tool_calls[0].name, "get_current_weather");
  assert.ok(acc.tool_calls[0].args.location);
});

test("OpenAIEmbeddings", async () => {
  const emb = new OpenAIEmbeddings({
    model: "mistral-embed", apiKey: stack.apiKey, maxRetries: 0, configuration: { baseURL: stack.baseURL },
  });
  const docs = await emb.embedDocuments(["hello", "world"]);
  assert.equal(docs.length, 2);
  assert.equal(docs[0].length, 1024);
  const q = await emb.embedQuery("hello");
  assert.equal(q.length, 1024);
  for (let i = 0; i < 1024; i++) assert.ok(Math.abs(q[i] - docs[0][i]) < 1e-6);
});
