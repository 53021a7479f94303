import { envSchema } from '../../../src/config/config.schema';

describe('WORKER_QUEUES', () => {
  const parse = (value: string | undefined) => envSchema.safeParse({ WORKER_QUEUES: value });

  it('consumes every queue unless told otherwise', () => {
    expect(parse(undefined).data?.WORKER_QUEUES).toEqual(['planning', 'push', 'sms']);
  });

  it('reads a comma-separated list, spaces and repeats ignored', () => {
    expect(parse(' sms, push ,sms').data?.WORKER_QUEUES).toEqual(['sms', 'push']);
    expect(parse('planning').data?.WORKER_QUEUES).toEqual(['planning']);
  });

  it('refuses an unknown queue and an empty list', () => {
    expect(parse('planning,email').success).toBe(false);
    expect(parse(' , ').success).toBe(false);
  });
});
