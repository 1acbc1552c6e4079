/** The model catalogue as served by `GET /models`. */
import { z } from 'zod'

export const ModelSchema = z
  .object({
    id: z.string().meta({ description: 'provider/model, as accepted by every `model` field' }),
    provider: z.string(),
    context_window: z.number().int(),
    max_output_tokens: z.number().int(),
    input_price: z.number().meta({ description: 'USD per million input tokens' }),
    output_price: z.number().meta({ description: 'USD per million output tokens' }),
    cached_input_price: z
      .number()
      .nullable()
      .meta({ description: 'USD per million input tokens read from the prompt cache' }),
    cache_write_price: z
      .number()
      .nullable()
      .meta({ description: 'USD per million input tokens written to the prompt cache' }),
    images: z.boolean().meta({ description: 'whether the model takes images' }),
    reasoning: z.boolean().meta({ description: 'whether the model reasons (`--reasoning` applies)' }),
  })
  .meta({ id: 'Model' })
export type ModelJson = z.infer<typeof ModelSchema>

export const ModelListSchema = z
  .object({
    items: z.array(ModelSchema),
    default: z.string().nullable().meta({ description: "the server's default model, if it has one" }),
  })
  .meta({ id: 'ModelList' })
